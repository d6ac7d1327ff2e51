package dev.switchboard.cli.shell;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.testkit.TestResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real commands in real pseudo-terminals, read back the way a terminal would show them. */
class PtyShellTest {
  /** A shell without the machine's rc files, so the prompt and output are predictable. */
  private static final List<String> BASH = List.of("bash", "--norc", "--noprofile", "-i");

  @RegisterExtension final TestResources started = new TestResources(Duration.ofSeconds(10));

  @TempDir Path dir;

  private PtyShell start(List<String> command, int cols, int rows, Map<String, String> env)
      throws IOException {
    return started.register(PtyShell.start(command, cols, rows, env));
  }

  @Test
  void theCommandRunsOnAPseudoTerminalDevice() throws Exception {
    PtyShell shell = start(List.of("tty"), 80, 24, Map.of());
    Screen screen = new Screen(shell.output());

    assertThat(shell.waitFor()).isZero();
    screen.awaitEnd();
    assertThat(screen.text()).containsPattern("/dev/pts/\\d+");
  }

  @Test
  void sttySizeShowsTheInitialSizeAndThenTheResizedOne() throws Exception {
    PtyShell shell =
        start(List.of("sh", "-c", "stty size; read line; stty size"), 91, 27, Map.of());
    Screen screen = new Screen(shell.output());
    screen.await("27 91");

    shell.resize(132, 43);
    shell.input().write("\n".getBytes(UTF_8));
    shell.input().flush();

    screen.await("43 132");
    assertThat(shell.waitFor()).isZero();
  }

  @Test
  void termIsXterm256ColorUnlessTheCallerSaysOtherwise() throws Exception {
    PtyShell plain = start(List.of("sh", "-c", "echo term=$TERM"), 80, 24, Map.of());
    Screen plainScreen = new Screen(plain.output());
    PtyShell vt = start(List.of("sh", "-c", "echo term=$TERM"), 80, 24, Map.of("TERM", "vt100"));
    Screen vtScreen = new Screen(vt.output());

    assertThat(plainScreen.await("term=(\\S+)")).isEqualTo("xterm-256color");
    assertThat(vtScreen.await("term=(\\S+)")).isEqualTo("vt100");
  }

  @Test
  void ctrlCInterruptsTheForegroundProgramAndTheShellSurvivesToExitWithItsStatus()
      throws Exception {
    PtyShell shell = start(BASH, 80, 24, Map.of("PS1", "prompt$ "));
    Screen screen = new Screen(shell.output());
    screen.await("prompt\\$ ");

    type(shell, "sleep 100\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> descendant(shell, "sleep").isPresent());
    ProcessHandle sleep = descendant(shell, "sleep").orElseThrow();
    type(shell, "\u0003");
    await().atMost(Duration.ofSeconds(30)).until(() -> !sleep.isAlive());
    type(shell, "echo status=$?\n");

    // 130 = 128 + SIGINT: the line discipline turned the byte into the signal for sleep.
    assertThat(screen.await("status=(\\d+)")).isEqualTo("130");
    assertThat(shell.isAlive()).isTrue();
    type(shell, "exit 3\n");
    assertThat(shell.waitFor()).isEqualTo(3);
  }

  @Test
  void aFullScreenEditorWorks() throws Exception {
    assumeTrue(onPath("vi"), "vi is not installed: skipping the full-screen editor check");
    Path file = dir.resolve("note.txt");
    PtyShell vi = start(List.of("vi", file.toString()), 80, 24, Map.of());
    Screen screen = new Screen(vi.output());
    // The file's name on the status line: vi has set up the terminal and reads keys.
    screen.await("note\\.txt");

    type(vi, "ihello from vi\u001b");
    type(vi, ":wq\r");

    assertThat(vi.waitFor()).isZero();
    assertThat(Files.readString(file)).isEqualTo("hello from vi\n");
  }

  @Test
  void topRunsInTheTerminal() throws Exception {
    assumeTrue(onPath("top"), "top (procps) is not installed: skipping");
    PtyShell top = start(List.of("top", "-b", "-n", "1"), 120, 40, Map.of());
    Screen screen = new Screen(top.output());

    assertThat(top.waitFor()).isZero();
    screen.awaitEnd();
    assertThat(screen.text()).contains("PID").contains("COMMAND");
  }

  @Test
  void aCommandKilledByASignalEndsWith128PlusTheSignal() throws Exception {
    PtyShell shell = start(List.of("sh", "-c", "kill -TERM $$"), 80, 24, Map.of());
    new Screen(shell.output());

    assertThat(shell.waitFor()).isEqualTo(128 + 15);
  }

  @Test
  void closeHangsUpAndKillsWhatIgnoresTheHangup() throws Exception {
    PtyShell shell =
        PtyShell.start(List.of("sh", "-c", "trap '' HUP; sleep 1000"), 80, 24, Map.of());
    new Screen(shell.output());
    await().atMost(Duration.ofSeconds(30)).until(() -> descendant(shell, "sleep").isPresent());
    ProcessHandle sleep = descendant(shell, "sleep").orElseThrow();

    shell.close();

    await().atMost(Duration.ofSeconds(30)).until(() -> !sleep.isAlive() && !shell.isAlive());
  }

  @Test
  void closeEndsAnInteractiveShellAndItsForegroundJob() throws Exception {
    PtyShell shell = PtyShell.start(BASH, 80, 24, Map.of("PS1", "prompt$ "));
    Screen screen = new Screen(shell.output());
    screen.await("prompt\\$ ");
    type(shell, "sleep 1000\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> descendant(shell, "sleep").isPresent());
    ProcessHandle sleep = descendant(shell, "sleep").orElseThrow();

    shell.close();

    await().atMost(Duration.ofSeconds(30)).until(() -> !sleep.isAlive() && !shell.isAlive());
    screen.awaitEnd();
  }

  @Test
  void aProgramThatCannotRunIsAnIoErrorNamingIt() {
    assertThatThrownBy(() -> PtyShell.start(List.of("/no/such/program"), 80, 24, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot run /no/such/program: no such program");
    assertThatThrownBy(() -> PtyShell.start(List.of("no-such-program"), 80, 24, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot run no-such-program: no such program");
  }

  @Test
  void aSizeOutsideWhatATerminalHoldsIsRefused() throws Exception {
    assertThatThrownBy(() -> PtyShell.start(List.of("true"), 0, 24, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x24");
    PtyShell shell = start(List.of("true"), 80, 24, Map.of());
    assertThatThrownBy(() -> shell.resize(80, 65536)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutACommandTheUsersShellRunsAsALoginShell() {
    List<String> argv = PtyShell.commandLine(null);
    assertThat(argv).hasSize(2).endsWith("-l");
    assertThat(Files.isExecutable(Path.of(argv.get(0)))).isTrue();
    assertThat(PtyShell.commandLine("top -b")).containsExactly(argv.get(0), "-c", "top -b");
  }

  private static void type(PtyShell shell, String keys) throws IOException {
    shell.input().write(keys.getBytes(UTF_8));
    shell.input().flush();
  }

  private static Optional<ProcessHandle> descendant(PtyShell shell, String command) {
    return ProcessHandle.of(shell.pid()).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
        .findFirst();
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
