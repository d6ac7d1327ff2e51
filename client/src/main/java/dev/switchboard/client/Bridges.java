package dev.switchboard.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Connects a session to local byte streams: a TCP socket, a process, or stdin/stdout. */
public final class Bridges {
  private Bridges() {}

  /**
   * Copies both ways until both directions have ended; half-close is propagated each way. A session
   * that ends abnormally (the broker's CLOSE with a reason, or a lost connection) closes {@code
   * local} at once: nothing more can reach the peer, so waiting for local input would hang.
   */
  public static void socket(Session s, Socket local) throws IOException {
    Thread up =
        copyThread("to-session", local.getInputStream(), s.output(), failed -> s.output().close());
    Thread down =
        copyThread(
            "from-session",
            s.input(),
            local.getOutputStream(),
            failed -> {
              if (failed) {
                local.close();
              } else {
                local.shutdownOutput();
              }
            });
    join(up, down);
    local.close();
    s.close();
  }

  /**
   * Bridges to arbitrary streams (a process's stdout/stdin, or this process's stdin/stdout). A
   * session that ends abnormally returns without waiting for {@code localIn}, which may be a
   * terminal that never ends.
   */
  public static void streams(Session s, InputStream localIn, OutputStream localOut)
      throws IOException {
    Thread up = copyThread("to-session", localIn, s.output(), failed -> s.output().close());
    boolean[] sessionFailed = new boolean[1];
    Thread down =
        copyThread(
            "from-session",
            s.input(),
            localOut,
            failed -> {
              sessionFailed[0] = failed;
              localOut.close();
            });
    join(down);
    if (!sessionFailed[0]) {
      join(up);
    }
    s.close();
  }

  private interface Closer {
    /** Ends the copy's destination; {@code failed} when the source ended with an error. */
    void close(boolean failed) throws IOException;
  }

  private static Thread copyThread(String name, InputStream in, OutputStream out, Closer onEnd) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              boolean failed = false;
              try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  if (in.available() <= 0) {
                    out.flush();
                  }
                }
                out.flush();
              } catch (IOException e) {
                failed = true; // the session end reason, or the command, reports why
              } finally {
                try {
                  onEnd.close(failed);
                } catch (IOException ignored) {
                  // already closed
                }
              }
            },
            "switchboard-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void join(Thread... threads) throws IOException {
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
