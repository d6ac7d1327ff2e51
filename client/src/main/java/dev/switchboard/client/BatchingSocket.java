package dev.switchboard.client;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The plain TCP socket under a layered JDK {@code SSLSocket}, batching its system calls. The JDK
 * writes every TLS record with its own {@code write(2)} and flush, and reads every record with two
 * {@code read(2)} calls (header, then body). Over this socket reads are buffered (64 KiB), and
 * inside a {@linkplain #beginBatch() batch} the records of one application write are gathered and
 * sent with one {@code write(2)} when the batch ends. Outside a batch (the handshake, alerts,
 * control messages) every flush goes out at once, as before. A relay or a direct peer then wakes up
 * once per batch instead of once per 16 KiB record.
 *
 * <p>Use: create, connect, then layer TLS over it with {@code SSLSocketFactory.createSocket(socket,
 * host, port, true)}. {@code -Dswitchboard.client.batchIo=false} turns batching off (a plain
 * socket's behaviour).
 */
public final class BatchingSocket extends Socket {
  /** Most bytes gathered before they are written even inside a batch. */
  static final int MAX_BATCH = 256 * 1024;

  private static final boolean ENABLED =
      !"false".equals(System.getProperty("switchboard.client.batchIo"));
  private InputStream in;
  private BatchingOutput out;

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      in =
          ENABLED
              ? new BufferedInputStream(super.getInputStream(), 64 * 1024)
              : super.getInputStream();
    }
    return in;
  }

  /**
   * The socket's own input, without the 64 KiB buffer: for a reader that reads into a large buffer
   * of its own (the BoringSSL engine socket), where the buffer would only add a copy.
   */
  public InputStream unbufferedInput() throws IOException {
    return super.getInputStream();
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      out = new BatchingOutput(super.getOutputStream());
    }
    return out;
  }

  /** From now until {@link #endBatch()}, flushes only gather. Callers serialise their writes. */
  public void beginBatch() throws IOException {
    ((BatchingOutput) getOutputStream()).batching = ENABLED;
  }

  /** Writes out everything gathered since {@link #beginBatch()}. */
  public void endBatch() throws IOException {
    BatchingOutput o = (BatchingOutput) getOutputStream();
    o.batching = false;
    o.drain();
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (out != null) {
        out.batching = false;
        out.drain();
      }
    } catch (IOException ignored) {
      // closing anyway
    } finally {
      super.close();
    }
  }

  /**
   * Wraps a TLS socket's output so every {@code write} call is one batch on {@code raw}: the
   * records it produces leave in one system call.
   */
  public static OutputStream batchedWrites(OutputStream tlsOut, BatchingSocket raw) {
    return new FilterOutputStream(tlsOut) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (this) {
          raw.beginBatch();
          try {
            out.write(b, off, len);
          } finally {
            raw.endBatch();
          }
        }
      }
    };
  }

  private static final class BatchingOutput extends OutputStream {
    private final OutputStream socketOut;
    private byte[] buf; // allocated by the first batch, so idle connections never hold it
    private int count;
    private volatile boolean batching;

    BatchingOutput(OutputStream socketOut) {
      this.socketOut = socketOut;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      if (!batching && count == 0) {
        socketOut.write(b, off, len); // the flush that follows would send it anyway
        return;
      }
      if (buf == null) {
        buf = new byte[MAX_BATCH];
      }
      if (len > buf.length - count) {
        drain();
        if (len > buf.length) {
          socketOut.write(b, off, len);
          return;
        }
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    @Override
    public synchronized void flush() throws IOException {
      if (!batching) {
        drain();
      }
    }

    synchronized void drain() throws IOException {
      if (count > 0) {
        int n = count;
        count = 0;
        socketOut.write(buf, 0, n);
      }
      socketOut.flush();
    }

    @Override
    public void close() throws IOException {
      drain();
      socketOut.close();
    }
  }
}
