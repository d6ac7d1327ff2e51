package dev.switchboard.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalTerminal} in a real terminal (a tmux window): raw while it runs, Ctrl-C a byte, the
 * size followed, and the settings back however the process ends.
 */
class LocalTerminalTest {
  /** What a cooked terminal has on and raw mode turns off. */
  static final List<String> COOKED = List.of("icanon", "echo", "isig", "icrnl", "opost");

  @TempDir Path dir;
  private Tmux tmux;
  private Path pidFile;

  @BeforeEach
  void startRawKeysInTmux() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed: skipping the real-terminal tests");
    pidFile = dir.resolve("pid");
    tmux = Tmux.start(dir, 100, 30, RawKeysMain.class.getName(), pidFile.toString());
    awaitScreen("ready");
  }

  @AfterEach
  void stopTmux() throws Exception {
    if (tmux != null) {
      tmux.close();
    }
  }

  @Test
  void keysArriveAsBytesCtrlCIncludedAndTheSizeFollowsTheWindow() throws Exception {
    assertThat(tmux.screen()).contains("size 100x30");
    Set<String> raw = tmux.sttyFlags();
    for (String flag : COOKED) {
      assertThat(raw).as("stty -a while raw").contains("-" + flag);
    }

    tmux.keys("C-c");
    awaitScreen("keys 03");
    tmux.keys("-l", "a");
    awaitScreen("keys 61");
    tmux.keys("Enter");
    awaitScreen("keys 0d");
    tmux.resize(120, 40);
    awaitScreen("size 120x40");

    tmux.keys("q");
    assertEndedWithTerminalRestored(0);
  }

  @Test
  void restoredAfterAnException() throws Exception {
    tmux.keys("x");
    assertEndedWithTerminalRestored(1);
  }

  @Test
  void restoredWhenKilledWithSigterm() throws Exception {
    signal("TERM");
    assertEndedWithTerminalRestored(128 + 15);
  }

  @Test
  void restoredWhenKilledWithSigint() throws Exception {
    signal("INT");
    assertEndedWithTerminalRestored(128 + 2);
  }

  private void signal(String name) throws Exception {
    assertThat(tmux.sttyFlags()).contains("-icanon");
    String pid = Files.readString(pidFile).strip();
    Process kill = new ProcessBuilder("kill", "-" + name, pid).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private void assertEndedWithTerminalRestored(int status) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tmux.result()));
    String result = Files.readString(tmux.result());
    assertThat(result).startsWith("exit=" + status + "\n");
    Set<String> flags = Tmux.flags(result);
    for (String flag : COOKED) {
      assertThat(flags).as("stty -a after the exit").contains(flag).doesNotContain("-" + flag);
    }
  }

  private void awaitScreen(String text) throws Exception {
    tmux.await(Pattern.quote(text));
  }
}
