package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through of the README: up, status, a session from two "terminals", drain one broker,
 * down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpDownStatusTest {
  @TempDir Path dir;

  @Test
  void upRunsTheTopologyInTheBackgroundUntilDown() throws Exception {
    // The seed topology moved to addresses of its own so it never meets a real `switchboard up`.
    String seed =
        Files.readString(Path.of("..", "examples", "seed-topology.yaml"))
            .replace("127.0.10", "127.0.92")
            .replace("127.0.11", "127.0.93")
            .replace("127.0.1.", "127.0.91.");
    Path topology = dir.resolve("topology.yaml");
    Files.writeString(topology, seed);
    String state = dir.resolve("state").toString();

    RcCommandsTest.Run up =
        new RcCommandsTest.Run("up", "--topology", topology.toString(), "--state-dir", state);
    try {
      assertThat(up.exit()).as(up.err.toString()).isZero();
      assertThat(up.out.toString())
          .contains("Local topology running", "broker-in-3", "127.0.93.3:7443");

      RcCommandsTest.Run status = new RcCommandsTest.Run("status", "--state-dir", state);
      assertThat(status.exit()).as(status.out.toString()).isZero();
      assertThat(status.out.toString())
          .contains("Regional load balancers", "Points of presence", "broker-in-3 -> in");
      Path tokenFile = dir.resolve("state").resolve("admin.token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
          .isEqualTo("rw-------");
      assertThat(status.out.toString()).doesNotContain(Files.readString(tokenFile).strip());
      Path wrong = dir.resolve("wrong.token");
      Files.writeString(wrong, "wrongwrongwrongwrongwrongwrong\n");
      Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
      RcCommandsTest.Run refused =
          new RcCommandsTest.Run(
              "status", "--state-dir", state, "--admin-token-file", wrong.toString());
      assertThat(refused.exit()).isEqualTo(3);
      assertThat(refused.err.toString())
          .contains("refused the admin token from " + wrong, "(401)")
          .hasLineCount(1);
      Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
      RcCommandsTest.Run open =
          new RcCommandsTest.Run(
              "status", "--state-dir", state, "--admin-token-file", wrong.toString());
      assertThat(open.exit()).isEqualTo(3);
      assertThat(open.err.toString()).contains(wrong + ": ", "chmod 600").hasLineCount(1);

      String pki = dir.resolve("state").resolve("pki").toString();
      RcCommandsTest.Run ctl =
          new RcCommandsTest.Run(
              "controller",
              "--topology",
              topology.toString(),
              "--region",
              "us",
              "--pki",
              pki,
              "--name",
              "alice",
              "--listen",
              "127.0.0.1:0");
      String code = ctl.waitForOut(Pattern.compile("Connection code: (\\S+)"));
      RcCommandsTest.Run tgt =
          new RcCommandsTest.Run(
              "target",
              "--topology",
              topology.toString(),
              "--region",
              "in",
              "--pki",
              pki,
              "--name",
              "t1",
              "--code",
              code,
              "--exec",
              "tr a-z A-Z",
              "--verbose");
      String port = ctl.waitForOut(Pattern.compile("listening on 127.0.0.1:(\\d+)"));
      try (Socket s = new Socket("127.0.0.1", Integer.parseInt(port))) {
        s.getOutputStream().write("through the full path\n".getBytes());
        s.shutdownOutput();
        assertThat(new String(s.getInputStream().readAllBytes()))
            .isEqualTo("THROUGH THE FULL PATH\n");
      }
      ctl.stopController();
      assertThat(ctl.exit()).as(ctl.err.toString()).isZero();
      assertThat(tgt.exit()).as(tgt.err.toString()).isZero();
      assertThat(tgt.err.toString()).contains("broker latency", "chose broker-in-");

      RcCommandsTest.Run drain =
          new RcCommandsTest.Run(
              "down", "--state-dir", state, "--broker", "broker-in-3", "--deadline", "2s");
      assertThat(drain.exit()).as(drain.err.toString()).isZero();
      assertThat(drain.out.toString()).contains("drained and stopped broker-in-3");
      RcCommandsTest.Run after = new RcCommandsTest.Run("status", "--state-dir", state);
      assertThat(after.exit()).isEqualTo(1); // a broker is down now
      assertThat(after.out.toString()).contains("broker-in-3", "DOWN");
    } finally {
      RcCommandsTest.Run down = new RcCommandsTest.Run("down", "--state-dir", state);
      assertThat(down.exit()).as(down.err.toString()).isZero();
    }
    assertThat(dir.resolve("state").resolve("up.json")).doesNotExist();
    RcCommandsTest.Run gone = new RcCommandsTest.Run("status", "--state-dir", state);
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err.toString()).startsWith("switchboard: no local topology is running");
  }
}
