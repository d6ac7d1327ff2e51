package dev.switchboard.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Connects a session to local byte streams: a TCP socket, a process, or stdin/stdout. */
public final class Bridges {
  private Bridges() {}

  /** Copies both ways until both directions have ended; half-close is propagated each way. */
  public static void socket(Session s, Socket local) throws IOException {
    Thread up =
        copyThread("to-session", local.getInputStream(), s.output(), () -> s.output().close());
    Thread down =
        copyThread("from-session", s.input(), local.getOutputStream(), local::shutdownOutput);
    join(up, down);
    local.close();
    s.close();
  }

  /** Bridges to arbitrary streams (a process's stdout/stdin, or this process's stdin/stdout). */
  public static void streams(Session s, InputStream localIn, OutputStream localOut)
      throws IOException {
    Thread up = copyThread("to-session", localIn, s.output(), () -> s.output().close());
    Thread down = copyThread("from-session", s.input(), localOut, localOut::close);
    join(up, down);
    s.close();
  }

  private interface Closer {
    void close() throws IOException;
  }

  private static Thread copyThread(String name, InputStream in, OutputStream out, Closer onEnd) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
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
                // the other direction or the session end reports why
              } finally {
                try {
                  onEnd.close();
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

  private static void join(Thread a, Thread b) throws IOException {
    try {
      a.join();
      b.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
