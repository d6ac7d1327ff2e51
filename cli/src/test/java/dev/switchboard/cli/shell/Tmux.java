package dev.switchboard.cli.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A tmux server of the test's own (its socket in a temporary folder) with one window running a test
 * main under {@code sh}: a real terminal that the test types into, resizes and reads.
 */
final class Tmux implements AutoCloseable {
  private final Path socket;
  private final Path result;

  private Tmux(Path socket, Path result) {
    this.socket = socket;
    this.result = result;
  }

  static boolean installed() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "tmux"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code mainClass} with this test's classpath in a {@code cols} x {@code rows} window; when
   * it ends, {@link #result()} holds its exit status and the terminal's settings as {@code stty -a}
   * then shows them.
   */
  static Tmux start(Path dir, int cols, int rows, String mainClass, String... args)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path result = dir.resolve("result");
    String script =
        "CLASSPATH='"
            + System.getProperty("java.class.path")
            + "'\nexport CLASSPATH\n'"
            + java
            + "' "
            + mainClass
            + " "
            + String.join(" ", args)
            + "\necho \"exit=$?\" > '"
            + result
            + ".tmp'\nstty -a >> '"
            + result
            + ".tmp'\nmv '"
            + result
            + ".tmp' '"
            + result
            + "'\n";
    Path file = Files.writeString(dir.resolve("run.sh"), script);
    Tmux tmux = new Tmux(dir.resolve("tmux.sock"), result);
    tmux.run("new-session", "-d", "-s", "t", "-x", "" + cols, "-y", "" + rows, "sh '" + file + "'");
    return tmux;
  }

  /** The window as a person would see it now. */
  String screen() throws IOException, InterruptedException {
    return run("capture-pane", "-p", "-t", "t");
  }

  /**
   * Waits for {@code regex} on the window; returns its first group, or the whole match. A timeout
   * fails with what the window showed.
   */
  String await(String regex) throws IOException, InterruptedException {
    Pattern p = Pattern.compile(regex);
    String[] found = new String[1];
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Matcher m = p.matcher(screen());
                if (!m.find()) {
                  return false;
                }
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                return true;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the window never showed " + regex + "; it shows:\n" + screen() + resultIfAny(), e);
    }
    return found[0];
  }

  private String resultIfAny() throws IOException {
    return Files.exists(result) ? "\nand the main has ended: " + Files.readString(result) : "";
  }

  /** tmux key names ("C-c", "Enter", "Escape") or, with {@code -l} first, literal text. */
  void keys(String... keys) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("send-keys", "-t", "t"));
    argv.addAll(Arrays.asList(keys));
    run(argv.toArray(String[]::new));
  }

  void resize(int cols, int rows) throws IOException, InterruptedException {
    run("resize-window", "-t", "t", "-x", "" + cols, "-y", "" + rows);
  }

  /** The window's terminal settings now, as {@code stty -a} lists them. */
  Set<String> sttyFlags() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("stty", "-a", "-F", tty()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    p.waitFor();
    return flags(out);
  }

  /** The window's terminal device. */
  String tty() throws IOException, InterruptedException {
    return run("display-message", "-p", "-t", "t", "#{pane_tty}").strip();
  }

  /** Present once the main has ended: "exit=N" then {@code stty -a}. */
  Path result() {
    return result;
  }

  static Set<String> flags(String sttyOutput) {
    return new HashSet<>(Arrays.asList(sttyOutput.split("[\\s;]+")));
  }

  private String run(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    argv.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    try {
      run("kill-server");
    } catch (IOException e) {
      // The window's command has ended and the server with it.
    }
  }
}
