package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.rc.RcCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An up.json whose pid now belongs to another process: never signalled, reported as stale. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleUpStateTest {
  @TempDir Path dir;
  private Process stranger;

  @AfterEach
  void tearDown() throws Exception {
    if (stranger != null) {
      stranger.destroyForcibly().waitFor();
    }
  }

  private void assertDownRefusesAndLeavesEverything(String upJson) throws Exception {
    stranger = new ProcessBuilder("sleep", "300").start();
    Path file =
        Files.writeString(dir.resolve("up.json"), upJson.replace("PID", "" + stranger.pid()));
    Files.writeString(dir.resolve("up.log"), "log\n");

    Run down = new Run("down", "--state-dir", dir.toString());

    assertThat(down.exit()).as(down.err.toString()).isEqualTo(3);
    assertThat(down.err.toString())
        .isEqualTo(
            "switchboard: "
                + file
                + " is stale: pid "
                + stranger.pid()
                + " is now another process ("
                + stranger.info().command().orElseThrow()
                + "), not the local topology; left it alone, remove the file"
                + System.lineSeparator());
    assertThat(stranger.isAlive()).as("the other process was not signalled").isTrue();
    assertThat(file).exists();
    assertThat(dir.resolve("up.log")).exists();
  }

  @Test
  void aRecycledPidWithAnotherStartTimeIsNotSignalled() throws Exception {
    assertDownRefusesAndLeavesEverything(
        "{\"pid\": PID, \"started\": \"2001-01-01T00:00:00Z\", \"control\": \"127.0.0.1:1\"}");
  }

  @Test
  void aFileWithoutAStartTimeIsCheckedByCommandLine() throws Exception {
    assertDownRefusesAndLeavesEverything("{\"pid\": PID, \"control\": \"127.0.0.1:1\"}");
  }
}
