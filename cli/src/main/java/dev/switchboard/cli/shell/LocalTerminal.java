package dev.switchboard.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingInputStream;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * This process's terminal in raw mode, on JLine: every key arrives as its bytes (Ctrl-C is 0x03,
 * not SIGINT), output goes to the screen unchanged, and window-size changes are reported. The
 * terminal's settings are restored by {@link #close()} and, failing that, when the JVM exits
 * (normal end, uncaught exception, SIGINT, SIGTERM, SIGHUP; not SIGKILL).
 */
public final class LocalTerminal implements AutoCloseable {
  /** Receives the new window size; runs on a signal-handling thread. */
  public interface ResizeListener {
    void resized(int cols, int rows);
  }

  private static final Signal WINCH = new Signal("WINCH");

  /** A read that waited the whole timeout without a key ({@link #read}). */
  static final int TIMED_OUT = NonBlockingInputStream.READ_EXPIRED;

  private final Terminal terminal;
  private final Attributes original;
  private final Thread restoreAtExit;
  private final Object lock = new Object();
  private boolean restoredLocked;
  private volatile ResizeListener listener;
  private SignalHandler previousWinch;

  private LocalTerminal(Terminal terminal) {
    this.terminal = terminal;
    this.original = terminal.getAttributes();
    this.restoreAtExit = new Thread(this::restore, "restore-terminal");
  }

  /** Whether standard input and output are a terminal (otherwise {@link #open()} fails). */
  public static boolean isInteractive() {
    return System.console() != null;
  }

  /**
   * Puts the terminal of standard input and output in raw mode.
   *
   * @throws IOException if they are not a terminal, or its settings cannot be changed
   */
  public static LocalTerminal open() throws IOException {
    if (!isInteractive()) {
      throw new IOException("standard input and output are not a terminal");
    }
    // .nativeSignals(false): JLine would otherwise set SIGINT to the OS default, which kills the
    // JVM without running the shutdown hook that restores the terminal.
    Terminal t =
        TerminalBuilder.builder()
            .system(true)
            .providers("jni,exec")
            .dumb(false)
            .nativeSignals(false)
            .build();
    LocalTerminal local = new LocalTerminal(t);
    Runtime.getRuntime().addShutdownHook(local.restoreAtExit);
    t.setAttributes(RawMode.of(local.original));
    local.previousWinch = Signal.handle(WINCH, s -> local.windowChanged());
    return local;
  }

  /** The columns of the window now (0 if the terminal does not say). */
  public int cols() {
    return terminal.getSize().getColumns();
  }

  /** The rows of the window now (0 if the terminal does not say). */
  public int rows() {
    return terminal.getSize().getRows();
  }

  /** The terminal type (TERM), for the remote side to use. */
  public String type() {
    return terminal.getType();
  }

  /** Keys as typed, byte for byte. */
  public InputStream input() {
    return terminal.input();
  }

  /** To the screen as is: no newline translation (the remote pty has done it); flush each write. */
  public OutputStream output() {
    return terminal.output();
  }

  /** {@code listener} (replacing any earlier one; null for none) hears of each window change. */
  public void onResize(ResizeListener listener) {
    this.listener = listener;
  }

  /**
   * Reads what keys have been typed into {@code buf}, waiting at most {@code timeoutMillis} for the
   * first: the count, -1 at end of input, or {@link #TIMED_OUT}.
   */
  int read(byte[] buf, long timeoutMillis) throws IOException {
    InputStream in = terminal.input();
    if (in instanceof NonBlockingInputStream nb) {
      return nb.readBuffered(buf, 0, buf.length, timeoutMillis);
    }
    return in.read(buf);
  }

  private void windowChanged() {
    ResizeListener l = listener;
    if (l != null) {
      Size size = terminal.getSize();
      l.resized(size.getColumns(), size.getRows());
    }
  }

  /** Restores the terminal's settings as {@link #open()} found them. Idempotent. */
  @Override
  public void close() throws IOException {
    listener = null;
    Signal.handle(WINCH, previousWinch);
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(restoreAtExit);
    } catch (IllegalStateException e) {
      // The JVM is already exiting: the hook is running or has run.
    }
    terminal.close();
  }

  private void restore() {
    synchronized (lock) {
      if (restoredLocked) {
        return;
      }
      restoredLocked = true;
    }
    try {
      terminal.output().flush();
    } catch (IOException e) {
      // The screen is gone (hang-up): the settings still matter to whoever owns the tty next.
    }
    terminal.setAttributes(original);
  }
}
