package dev.switchboard.client.internal.mux;

import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;

/** Copies between a stream and a local endpoint both ways, half-closes included. */
public final class Pump {
  // Local reads of up to four full frames: one session write, one system call (see MuxStreamImpl).
  private static final int UP_BUFFER = 4 * MuxFrame.DATA_CHUNK;
  private static final int DOWN_BUFFER = 16 * 1024;

  private Pump() {}

  /** The local side of a bridge: a socket, a process, or this process's stdin/stdout. */
  public interface Local {
    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    /** The stream's peer sent FIN: no more bytes for the local side. */
    void endOutput() throws IOException;

    /** The stream failed: cut the local side (this also ends a blocked read of {@link #in}). */
    void abort();

    /** The local input ended; called before the stream's FIN (a process reports its EXIT here). */
    default void inputEnded(MuxStream s) throws IOException {}
  }

  /**
   * Runs until both directions have ended, or one failed (then the local side is aborted and the
   * stream reset). Returns null if the stream ended cleanly both ways, else the first failure: the
   * stream's reset or the session's end, or the local side's error.
   *
   * @param waitForLocalAfterFailure false where a local read cannot be cut (stdin): after a failure
   *     this then returns without waiting for it
   */
  public static IOException run(MuxStream s, Local local, boolean waitForLocalAfterFailure)
      throws IOException {
    InputStream localIn = local.in();
    OutputStream localOut = local.out();
    IOException[] upFailure = new IOException[1];
    Thread up = new Thread(() -> upFailure[0] = up(s, localIn, local), "switchboard-mux-up");
    up.setDaemon(true);
    up.start();
    IOException downFailure = down(s, localOut, local);
    if (downFailure == null || waitForLocalAfterFailure) {
      try {
        up.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        local.abort();
        return new InterruptedIOException("interrupted");
      }
    }
    return downFailure != null ? downFailure : upFailure[0];
  }

  private static IOException up(MuxStream s, InputStream localIn, Local local) {
    // Small until a read fills it: an idle stream holds 16 KiB here, a busy one 64 KiB.
    byte[] buf = new byte[DOWN_BUFFER];
    while (true) {
      int n;
      try {
        n = localIn.read(buf);
      } catch (IOException e) {
        s.reset(ErrorCode.PEER_LOST, "the local connection failed: " + e.getMessage());
        return e;
      }
      try {
        if (n < 0) {
          local.inputEnded(s);
          s.output().close();
          return null;
        }
        s.output().write(buf, 0, n);
        if (n == buf.length && n < UP_BUFFER) {
          buf = new byte[UP_BUFFER];
        }
      } catch (IOException e) {
        local.abort(); // the stream was reset or the session ended
        return e;
      }
    }
  }

  private static IOException down(MuxStream s, OutputStream localOut, Local local) {
    byte[] buf = new byte[DOWN_BUFFER];
    InputStream in = s.input();
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (IOException e) {
        local.abort();
        return e;
      }
      try {
        if (n < 0) {
          local.endOutput();
          return null;
        }
        localOut.write(buf, 0, n);
        if (in.available() <= 0) {
          localOut.flush();
        }
      } catch (IOException e) {
        s.reset(ErrorCode.PEER_LOST, "the local connection failed: " + e.getMessage());
        local.abort();
        return e;
      }
    }
  }

  /** A {@link Local} over a connected socket. */
  public static Local socket(Socket sock) {
    return new Local() {
      @Override
      public InputStream in() throws IOException {
        return sock.getInputStream();
      }

      @Override
      public OutputStream out() throws IOException {
        return sock.getOutputStream();
      }

      @Override
      public void endOutput() throws IOException {
        sock.shutdownOutput();
      }

      @Override
      public void abort() {
        try {
          sock.close();
        } catch (IOException e) {
          // closed already
        }
      }
    };
  }
}
