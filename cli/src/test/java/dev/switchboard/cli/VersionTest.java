package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {

  private static String run(String... args) {
    CommandLine cl = Switchboard.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute(args)).isZero();
    return out.toString().trim();
  }

  @Test
  void versionCommandAndOptionNameTheCommitTheJarWasBuiltFrom() {
    String line = run("version");
    assertThat(run("--version")).isEqualTo(line);
    // The build writes the commit of the checkout it ran in (this test runs inside one).
    assertThat(line)
        .matches(
            "switchboard 0\\.1\\.0-SNAPSHOT \\(commit [0-9a-f]{7,}.*, committed \\S+, built \\S+\\)");
  }

  @Test
  void aJarBuiltOutsideGitSaysUnknownInsteadOfFailing() {
    assertThat(new BuildInfo(new Properties()).line())
        .isEqualTo("switchboard unknown (commit unknown, committed unknown, built unknown)");
  }

  @Test
  void localChangesAreShown() {
    Properties p = new Properties();
    p.setProperty("git.commit.id.abbrev", "abc1234");
    p.setProperty("git.dirty", "true");
    assertThat(new BuildInfo(p).line()).contains("commit abc1234 with local changes");
  }
}
