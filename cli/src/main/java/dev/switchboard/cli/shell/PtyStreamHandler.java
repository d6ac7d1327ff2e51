package dev.switchboard.cli.shell;

import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.client.mux.StreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The target's "shell" service: one stream is a command (by default the user's login shell) in a
 * pseudo-terminal of its own. Keystrokes from the stream go to the terminal, what it shows goes
 * back; RESIZE changes its size; when the command ends its exit status goes back as EXIT.
 */
public final class PtyStreamHandler implements StreamHandler {
  /** The size a shell starts at until the controller's first RESIZE (it sends one at once). */
  static final int COLS = 80;

  static final int ROWS = 24;

  private final List<String> command;
  private volatile PtyShell shell;
  private volatile int[] pending;

  /**
   * @param command null or empty for the login shell
   */
  public PtyStreamHandler(String command) {
    this.command = PtyShell.commandLine(command);
  }

  @Override
  public void serve(MuxStream stream) throws IOException {
    try (PtyShell pty = PtyShell.start(command, COLS, ROWS, Map.of())) {
      shell = pty;
      int[] size = pending;
      if (size != null) {
        pty.resize(size[0], size[1]);
      }
      Thread keys = new Thread(() -> keys(stream.input(), pty.input()), "switchboard-shell-keys");
      keys.setDaemon(true);
      keys.start();
      pty.output().transferTo(stream.output());
      stream.output().flush();
      int status;
      try {
        status = pty.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for the shell");
      }
      stream.exit(status);
      stream.output().close();
    } finally {
      shell = null;
    }
  }

  private static void keys(InputStream from, OutputStream to) {
    try {
      byte[] buf = new byte[4096];
      int n;
      while ((n = from.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // the stream or the shell ended; serve() closes the terminal
    }
  }

  @Override
  public void resized(int cols, int rows) {
    PtyShell s = shell;
    if (s != null) {
      s.resize(cols, rows);
    } else {
      pending = new int[] {cols, rows};
    }
  }
}
