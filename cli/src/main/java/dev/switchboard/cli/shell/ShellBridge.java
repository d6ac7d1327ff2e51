package dev.switchboard.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Joins the local terminal to a remote shell until the remote command ends: keys go to {@link
 * RemoteShell#input()}, its output to the screen, window changes to {@link RemoteShell#resize}.
 */
public final class ShellBridge {
  /** How often the key reader looks whether the shell has ended; keys never wait for it. */
  private static final long KEY_POLL_MILLIS = 100;

  private static final long KEY_STOP_MILLIS = 1000;

  private ShellBridge() {}

  /**
   * Runs the bridge and returns the remote command's exit status. Sends the current window size
   * first. Leaves {@code local} open (in raw mode): the caller closes it, with try-with-resources.
   */
  public static int run(LocalTerminal local, RemoteShell remote)
      throws IOException, InterruptedException {
    local.onResize((cols, rows) -> resizeLater(remote, cols, rows));
    try {
      if (local.cols() > 0 && local.rows() > 0) {
        remote.resize(local.cols(), local.rows());
      }
      KeyPump keys = new KeyPump(local, remote.input());
      Thread keyThread = new Thread(keys, "shell-keys");
      keyThread.setDaemon(true);
      keyThread.start();
      try {
        copyToScreen(remote.output(), local.output());
      } finally {
        keys.stop();
        // Bounded: a write stalled on a stream the remote no longer reads must not keep the
        // controller from reporting the exit status; the thread is a daemon.
        keyThread.join(KEY_STOP_MILLIS);
      }
      return remote.exitStatus();
    } finally {
      local.onResize(null);
    }
  }

  private static void resizeLater(RemoteShell remote, int cols, int rows) {
    if (cols <= 0 || rows <= 0) {
      return; // The terminal does not know its size: the remote keeps its last one.
    }
    try {
      remote.resize(cols, rows);
    } catch (IOException e) {
      // The remote side has ended; its output's end finishes the bridge.
    }
  }

  private static void copyToScreen(InputStream from, OutputStream screen) throws IOException {
    byte[] buf = new byte[16384];
    for (int n; (n = from.read(buf)) >= 0; ) {
      screen.write(buf, 0, n);
      screen.flush();
    }
  }

  /** Keys to the remote until stopped, the keyboard ends (FIN), or the remote stops taking them. */
  private static final class KeyPump implements Runnable {
    private final LocalTerminal local;
    private final OutputStream remote;
    private volatile boolean stopped;

    KeyPump(LocalTerminal local, OutputStream remote) {
      this.local = local;
      this.remote = remote;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      byte[] buf = new byte[4096];
      try {
        while (!stopped) {
          int n = local.read(buf, KEY_POLL_MILLIS);
          if (n == LocalTerminal.TIMED_OUT || n == 0) {
            continue;
          }
          if (n < 0) {
            remote.close();
            return;
          }
          remote.write(buf, 0, n);
          remote.flush();
        }
      } catch (IOException e) {
        // The remote side has ended; its output's end finishes the bridge.
      }
    }
  }
}
