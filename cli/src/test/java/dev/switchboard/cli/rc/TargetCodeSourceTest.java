package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Switchboard;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The code can stay out of {@code ps}: {@code --code -} reads stdin, else SWITCHBOARD_CODE. */
class TargetCodeSourceTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String stdin, Map<String, String> env, String... codeArgs) {
    CommandLine cl = Switchboard.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    TargetCommand target = cl.getSubcommands().get("target").getCommand();
    target.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    target.env = env::get;
    List<String> args =
        new ArrayList<>(List.of("target", "--broker", "127.0.0.1:1", "--pki", dir.toString()));
    args.addAll(List.of(codeArgs));
    args.addAll(List.of("--exec", "cat"));
    return cl.execute(args.toArray(String[]::new));
  }

  @Test
  void aDashReadsTheCodeFromTheFirstLineOfStdin() {
    assertThat(run("AAAAA-BBBB1\nrest\n", Map.of(), "--code", "-")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("switchboard: --code: a connection code has no '1'")
        .hasLineCount(1);
  }

  @Test
  void aWellFormedCodeFromStdinGetsPastTheUsageChecks() {
    // Exit 3: the missing certificate is the next thing wrong, so the code was accepted.
    assertThat(run("  abcde-fghjk \n", Map.of(), "--code", "-")).isEqualTo(3);
    assertThat(err.toString()).doesNotContain("--code");
  }

  @Test
  void emptyStdinIsAUsageError() {
    assertThat(run("", Map.of(), "--code", "-")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("switchboard: --code -: no code on the first line of stdin")
        .hasLineCount(1);
  }

  @Test
  void withoutTheOptionTheEnvironmentVariableIsUsed() {
    assertThat(run("", Map.of("SWITCHBOARD_CODE", "AAAAA-BBBB1"))).isEqualTo(2);
    assertThat(err.toString()).startsWith("switchboard: --code: a connection code has no '1'");
  }

  @Test
  void theOptionWinsOverTheEnvironment() {
    assertThat(run("", Map.of("SWITCHBOARD_CODE", "ABCDE-FGHJK"), "--code", "AAAAA-BBBB1"))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("switchboard: --code: a connection code has no '1'");
  }

  @Test
  void noCodeAnywhereNamesAllThreeWays() {
    assertThat(run("", Map.of())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("switchboard: Missing required option: '--code=CODE'")
        .contains("--code -", "SWITCHBOARD_CODE")
        .hasLineCount(1);
  }
}
