package dev.switchboard.cli.shell;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import com.pty4j.unix.UnixPtyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A command running in a pseudo-terminal on this machine (the target's side of a "shell" stream),
 * on pty4j. The command is the leader of a new session whose controlling terminal is the pty, so
 * job control, Ctrl-C (0x03 written to {@link #input()}) and full-screen programs work as in a
 * terminal emulator.
 */
public final class PtyShell implements AutoCloseable {
  /** TERM when the caller gives none: what nearly every terminal emulator today understands. */
  public static final String DEFAULT_TERM = "xterm-256color";

  /** How long {@link #close()} lets the hung-up processes end before it kills them. */
  private static final long HANGUP_GRACE_MILLIS = 2000;

  private final PtyProcess process;
  private final Object closeLock = new Object();
  private boolean closedLocked;

  private PtyShell(PtyProcess process) {
    this.process = process;
  }

  /**
   * Starts {@code command} in a new pseudo-terminal of {@code cols} x {@code rows}, in this
   * process's working directory, with this process's environment plus {@code env} (which wins) and
   * TERM={@value #DEFAULT_TERM} unless {@code env} sets it.
   *
   * @param command the program and its arguments; null or empty means the user's login shell
   *     ({@link #commandLine})
   * @throws IllegalArgumentException if {@code cols} or {@code rows} is outside 1..65535
   * @throws IOException if the pty or the process cannot be created
   */
  public static PtyShell start(List<String> command, int cols, int rows, Map<String, String> env)
      throws IOException {
    checkSize(cols, rows);
    List<String> argv = command == null || command.isEmpty() ? commandLine(null) : command;
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("TERM", DEFAULT_TERM);
    environment.putAll(env);
    if (!runnable(argv.get(0), environment.getOrDefault("PATH", ""))) {
      // Checked here: pty4j's native code would print to stderr and fail with "Unknown reason".
      throw new IOException("cannot run " + argv.get(0) + ": no such program");
    }
    try {
      PtyProcess p =
          new PtyProcessBuilder(argv.toArray(String[]::new))
              .setEnvironment(environment)
              .setInitialColumns(cols)
              .setInitialRows(rows)
              .setRedirectErrorStream(true)
              .start();
      return new PtyShell(p);
    } catch (IOException e) {
      throw new IOException(
          "cannot run " + argv.get(0) + " in a pseudo-terminal: " + e.getMessage(), e);
    }
  }

  /**
   * The argv for {@code target --shell [CMD]}: without {@code cmd}, the user's shell as a login
   * shell ({@code SHELL -l}); with it, {@code SHELL -c CMD}, as sshd runs a command.
   */
  public static List<String> commandLine(String cmd) {
    String shell =
        LoginShell.find(System.getenv(), System.getProperty("user.name"), Path.of("/etc/passwd"));
    return cmd == null || cmd.isBlank() ? List.of(shell, "-l") : List.of(shell, "-c", cmd);
  }

  /** What the terminal shows; ends once the command has ended and its output has been read. */
  public InputStream output() {
    return process.getInputStream();
  }

  /** The terminal's keyboard: bytes written here are typed into the pty. */
  public OutputStream input() {
    return process.getOutputStream();
  }

  /**
   * Sets the window size; the foreground program gets SIGWINCH.
   *
   * @throws IllegalArgumentException if {@code cols} or {@code rows} is outside 1..65535
   */
  public void resize(int cols, int rows) {
    checkSize(cols, rows);
    process.setWinSize(new WinSize(cols, rows));
  }

  /** Waits for the command to end: its exit status, or 128 + the signal number that killed it. */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Hangs up: SIGHUP to the command, then the pty is closed (the kernel hangs up the foreground job
   * too); whatever of the command and its descendants still runs after a short grace is killed.
   * Idempotent; returns at once if the command has already ended.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closedLocked) {
        return;
      }
      closedLocked = true;
    }
    // Snapshot first: once the shell has died its children are re-parented and no longer found.
    List<ProcessHandle> tree =
        ProcessHandle.of(process.pid())
            .map(h -> Stream.concat(Stream.of(h), h.descendants()).collect(Collectors.toList()))
            .orElse(List.of());
    if (process instanceof UnixPtyProcess unix && process.isAlive()) {
      // kill(pid, SIGHUP): a shell passes it on to its jobs, as when a terminal window closes.
      unix.hangup();
    }
    closeQuietly(process.getOutputStream());
    closeQuietly(process.getInputStream());
    try {
      process.waitFor(HANGUP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** Whether execvp(3) would find {@code program}: a path, or a name in one of {@code path}. */
  private static boolean runnable(String program, String path) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Already closed, or the pty is gone with its process: nothing left to release.
    }
  }

  private static void checkSize(int cols, int rows) {
    if (cols < 1 || cols > 65535 || rows < 1 || rows > 65535) {
      throw new IllegalArgumentException(
          "terminal size " + cols + "x" + rows + " is outside 1..65535");
    }
  }
}
