package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a new user trips over: each mistake gets one line that says what is wrong. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UsageErrorsTest {
  @TempDir Path dir;

  @Test
  void aMisspelledOptionIsReportedBeforeTheMissingOneItMeant() throws Exception {
    RcCommandsTest.Run r =
        new RcCommandsTest.Run("pki", "issue", "target", "--nmae", "t1", "--dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err.toString())
        .startsWith("switchboard: Unknown options: '--nmae'")
        .doesNotContain("Missing")
        .hasLineCount(1);
  }

  @Test
  void regionWithoutTopologyIsAUsageError() throws Exception {
    RcCommandsTest.Run r =
        new RcCommandsTest.Run(
            "controller", "--broker", "127.0.0.1:1", "--region", "us", "--pki", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err.toString())
        .startsWith("switchboard: --region needs --topology")
        .hasLineCount(1);
  }

  @Test
  void aMalformedCodeNamesTheSymbolsOutsideTheAlphabet() throws Exception {
    RcCommandsTest.Run r =
        new RcCommandsTest.Run(
            "target",
            "--broker",
            "127.0.0.1:1",
            "--pki",
            dir.toString(),
            "--code",
            "AAAAA-BBBB1",
            "--exec",
            "cat");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err.toString())
        .startsWith("switchboard: --code: a connection code has no '1'")
        .contains("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        .hasLineCount(1);
  }

  @Test
  void statusWithoutStateDirLooksUnderHome() throws Exception {
    Path home = dir.resolve("home");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.switchboard.cli.Switchboard",
                "status"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("XDG_STATE_HOME");
    pb.environment().remove("SWITCHBOARD_STATE_DIR");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(out)
        .contains(home.resolve(".local/state/switchboard/up/up.json").toString())
        .hasLineCount(1);
  }

  @Test
  void upSuggestsTheTopologyThatIsRunning() {
    ObjectNode s = UpState.JSON.createObjectNode();
    s.put("pid", 42).put("topology", "/x/expanded-topology.yaml").put("pki", "/x/pki");
    ObjectNode b = s.putArray("brokers").addObject();
    b.put("id", "broker-eu-1").put("region", "eu").put("client", "127.0.1.1:7443");
    b.putObject("pops").put("eu", "127.0.12.1:7443").put("sg", "127.0.14.1:7443");
    StringWriter out = new StringWriter();
    UpCommand.printSummary(new PrintWriter(out, true), s, dir);
    assertThat(out.toString())
        .contains("controller --topology /x/expanded-topology.yaml --region eu --pki /x/pki")
        .contains("target --topology /x/expanded-topology.yaml --region sg --pki /x/pki")
        .doesNotContain("seed-topology");
  }
}
