package dev.switchboard.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's terminal (a tmux window) bridged to a shell in a pseudo-terminal of its own: what
 * issue 16 asks of a remote shell, with the session's stream left out.
 */
class ShellBridgeTest {
  @TempDir Path dir;
  private Tmux tmux;

  @AfterEach
  void stopTmux() throws Exception {
    if (tmux != null) {
      tmux.close();
    }
  }

  @Test
  void ttySizeCtrlCAndExitStatusThroughTheBridge() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed: skipping the real-terminal test");
    tmux = Tmux.start(dir, 100, 30, BridgedShellMain.class.getName());
    awaitScreen("remote\\$");

    // The shell's own pty, not the window's: the bridge is in between.
    command("tty");
    String remoteTty = awaitScreen("(?m)^(/dev/pts/\\d+)$");
    assertThat(remoteTty).isNotEqualTo(tmux.tty());

    command("stty size");
    awaitScreen("(?m)^30 100$");
    tmux.resize(120, 40);
    command("clear; stty size");
    awaitScreen("(?m)^40 120$");

    command("sleep 4711");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> sleep4711().filter(Foreground::is).isPresent());
    ProcessHandle sleep = sleep4711().orElseThrow();
    tmux.keys("C-c");
    await().atMost(Duration.ofSeconds(60)).until(() -> !sleep.isAlive());
    command("echo status=$?");
    assertThat(awaitScreen("(?m)^status=(\\d+)$")).isEqualTo("130");

    command("exit 3");
    assertEndedWithTerminalRestored(3);
  }

  @Test
  void aFullScreenEditorWorksThroughTheBridge() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed: skipping the real-terminal test");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/vi")), "no /usr/bin/vi: skipping the editor");
    tmux = Tmux.start(dir, 100, 30, BridgedShellMain.class.getName());
    awaitScreen("remote\\$");

    Path note = dir.resolve("note.txt");
    command("vi " + note);
    awaitScreen("note.txt");
    tmux.keys("-l", "ihello through the bridge");
    tmux.keys("Escape");
    tmux.keys("-l", ":wq");
    tmux.keys("Enter");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(note));
    assertThat(Files.readString(note)).isEqualTo("hello through the bridge\n");

    command("exit");
    assertEndedWithTerminalRestored(0);
  }

  private void assertEndedWithTerminalRestored(int status) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tmux.result()));
    String result = Files.readString(tmux.result());
    assertThat(result).startsWith("exit=" + status + "\n");
    Set<String> flags = Tmux.flags(result);
    for (String flag : LocalTerminalTest.COOKED) {
      assertThat(flags).contains(flag).doesNotContain("-" + flag);
    }
  }

  private static Optional<ProcessHandle> sleep4711() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().orElse("").endsWith("/sleep"))
        .filter(
            p -> p.info().arguments().map(a -> List.of(a).equals(List.of("4711"))).orElse(false))
        .findFirst();
  }

  private void command(String line) throws Exception {
    tmux.keys("-l", line);
    tmux.keys("Enter");
  }

  private String awaitScreen(String regex) throws Exception {
    return tmux.await(regex);
  }
}
