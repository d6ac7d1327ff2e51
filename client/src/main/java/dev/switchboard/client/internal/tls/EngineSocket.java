package dev.switchboard.client.internal.tls;

import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking TLS socket over a connected TCP socket, driving an {@link SSLEngine} (BoringSSL's,
 * from {@link ClientTls}) the way the JDK's {@code SSLSocket} drives its own: one thread may read
 * while others write. Reads decrypt as many records as have arrived per call; each {@code write}
 * encrypts its bytes into records and hands them to the TCP socket's stream in one call, so a
 * batching socket under it gathers a batch's records into one system call.
 *
 * <p>Closing sends {@code close_notify} unless a writer is blocked on the socket (then the TCP
 * connection just closes, as {@code BrokerConnection.kill} expects), and frees the engine.
 */
public final class EngineSocket extends Socket {
  private static final Logger LOG = LoggerFactory.getLogger(EngineSocket.class);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** A read asking for this much or more decrypts straight into the caller's array. */
  private static final int DIRECT_READ = 32 * 1024;

  private final Socket raw;
  private final SSLEngine engine;
  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final InputStream in = new In();
  private final OutputStream out = new Out();

  /** Ciphertext read from the socket, not yet decrypted (write mode). Guarded by readLock. */
  private ByteBuffer netIn;

  /** Plaintext decrypted, not yet read (read mode). Guarded by readLock. */
  private ByteBuffer appIn;

  /** Ciphertext encrypted, not yet handed to the socket (write mode). Guarded by writeLock. */
  private ByteBuffer netOut;

  private boolean inboundDone; // guarded by readLock
  private volatile boolean closed;

  /** Over {@code raw}, reading its bytes from {@code rawIn} (its input, perhaps unbuffered). */
  public EngineSocket(Socket raw, InputStream rawIn, SSLEngine engine) throws IOException {
    this.raw = raw;
    this.engine = engine;
    engine.setUseClientMode(true);
    this.rawIn = rawIn;
    this.rawOut = raw.getOutputStream();
    int packet = engine.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocate(Math.max(64 * 1024, packet));
    this.appIn = ByteBuffer.allocate(Math.max(64 * 1024, 2 * packet)).flip();
    this.netOut = ByteBuffer.allocate(4 * packet);
  }

  /** Runs the handshake to its end, within the socket's read timeout per read. */
  public void startHandshake() throws IOException {
    readLock.lock();
    writeLock.lock();
    try {
      engine.beginHandshake();
      HandshakeStatus hs = engine.getHandshakeStatus();
      while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
        switch (hs) {
          case NEED_WRAP -> {
            SSLEngineResult r = wrap(EMPTY);
            sendNet();
            rawOut.flush();
            hs = r.getHandshakeStatus();
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            SSLEngineResult r = unwrap();
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !fill()) {
              throw new EOFException("the peer closed the connection during the TLS handshake");
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              throw new SSLException("the peer closed TLS during the handshake");
            }
            hs = r.getHandshakeStatus();
          }
          case NEED_TASK -> hs = runTasks();
          default -> throw new SSLException("unexpected handshake state " + hs);
        }
      }
      LOG.debug(
          "TLS handshake with {}: {} {}",
          raw.getRemoteSocketAddress(),
          engine.getSession().getProtocol(),
          engine.getSession().getCipherSuite());
    } catch (SSLException e) {
      throw clearer(e);
    } finally {
      writeLock.unlock();
      readLock.unlock();
    }
  }

  /**
   * BoringSSL's engine reports a certificate the trust manager refused as "General OpenSslEngine
   * problem" and keeps the reason (an unknown CA, a hostname the certificate does not name) in the
   * cause: say the reason, as the JDK's engine does.
   */
  private static SSLException clearer(SSLException e) {
    String why = null;
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null) {
        why = t.getMessage();
      }
    }
    if (why == null || why.equals(e.getMessage())) {
      return e;
    }
    SSLException clear = new SSLHandshakeException(why);
    clear.initCause(e);
    return clear;
  }

  /** Decrypts what has arrived into {@code appIn}. Caller holds readLock. */
  private SSLEngineResult unwrap() throws SSLException {
    appIn.compact();
    SSLEngineResult r;
    try {
      r = unwrapInto(appIn);
    } finally {
      appIn.flip();
    }
    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
      appIn = grow(appIn, true);
    }
    return r;
  }

  /**
   * Decrypts what has arrived into {@code dst}, growing {@code netIn} for a record larger than it.
   */
  private SSLEngineResult unwrapInto(ByteBuffer dst) throws SSLException {
    netIn.flip();
    SSLEngineResult r;
    try {
      r = engine.unwrap(netIn, dst);
    } finally {
      netIn.compact();
    }
    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
        && netIn.position() == netIn.capacity()) {
      netIn = grow(netIn, false);
    }
    return r;
  }

  /** Reads more ciphertext; false at the end of the stream. Caller holds readLock. */
  private boolean fill() throws IOException {
    int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
    if (n < 0) {
      return false;
    }
    netIn.position(netIn.position() + n);
    return true;
  }

  /**
   * Encrypts {@code src} (or pending handshake data) into {@code netOut}. Caller holds writeLock.
   */
  private SSLEngineResult wrap(ByteBuffer src) throws IOException {
    while (true) {
      SSLEngineResult r = engine.wrap(src, netOut);
      switch (r.getStatus()) {
        case BUFFER_OVERFLOW -> {
          if (netOut.position() > 0) {
            sendNet();
          } else {
            netOut = grow(netOut, false);
          }
        }
        case CLOSED -> {
          if (r.bytesProduced() == 0) {
            throw new SocketException("TLS connection closed");
          }
          return r;
        }
        default -> {
          return r;
        }
      }
    }
  }

  /** Hands the encrypted bytes to the TCP socket's stream. Caller holds writeLock. */
  private void sendNet() throws IOException {
    if (netOut.position() > 0) {
      int n = netOut.position();
      netOut.clear();
      rawOut.write(netOut.array(), netOut.arrayOffset(), n);
    }
  }

  private HandshakeStatus runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
    return engine.getHandshakeStatus();
  }

  private static ByteBuffer grow(ByteBuffer b, boolean readMode) {
    ByteBuffer bigger = ByteBuffer.allocate(b.capacity() * 2);
    if (readMode) {
      bigger.put(b).flip();
    } else {
      bigger.put(b.flip());
    }
    return bigger;
  }

  /** After a read: sends what the engine must answer (a key update), unless a writer is busy. */
  private void answerIfNeeded(SSLEngineResult r) throws IOException {
    HandshakeStatus hs = r.getHandshakeStatus();
    if (hs == HandshakeStatus.NEED_TASK) {
      hs = runTasks();
    }
    if (hs == HandshakeStatus.NEED_WRAP && writeLock.tryLock()) {
      try { // a busy writer's next wrap sends it anyway
        wrap(EMPTY);
        sendNet();
        rawOut.flush();
      } finally {
        writeLock.unlock();
      }
    }
  }

  private final class In extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      readLock.lock();
      try {
        while (true) {
          if (appIn.hasRemaining()) {
            int n = Math.min(len, appIn.remaining());
            appIn.get(b, off, n);
            return n;
          }
          if (inboundDone || closed) {
            return -1;
          }
          SSLEngineResult r = null;
          if (len >= DIRECT_READ) { // room for several records: decrypt into the caller's array
            r = unwrapInto(ByteBuffer.wrap(b, off, len));
            if (r.bytesProduced() > 0) {
              answerIfNeeded(r);
              return r.bytesProduced();
            }
          }
          if (r == null || r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            r = unwrap();
          }
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            inboundDone = true;
          } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !fill()) {
            inboundDone = true; // the TCP stream ended without close_notify
          }
          answerIfNeeded(r);
        }
      } finally {
        readLock.unlock();
      }
    }

    @Override
    public int available() {
      readLock.lock();
      try {
        return appIn.remaining();
      } finally {
        readLock.unlock();
      }
    }

    @Override
    public void close() throws IOException {
      EngineSocket.this.close();
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writeLock.lock();
      try {
        if (closed) {
          throw new SocketException("Socket closed");
        }
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        while (src.hasRemaining()) {
          wrap(src);
        }
        sendNet();
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public void flush() throws IOException {
      writeLock.lock();
      try {
        rawOut.flush();
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public void close() throws IOException {
      EngineSocket.this.close();
    }
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    raw.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return raw.getSoTimeout();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    raw.setTcpNoDelay(on);
  }

  @Override
  public InetAddress getInetAddress() {
    return raw.getInetAddress();
  }

  @Override
  public int getPort() {
    return raw.getPort();
  }

  @Override
  public InetAddress getLocalAddress() {
    return raw.getLocalAddress();
  }

  @Override
  public int getLocalPort() {
    return raw.getLocalPort();
  }

  @Override
  public boolean isConnected() {
    return raw.isConnected();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (writeLock.tryLock()) {
        try {
          engine.closeOutbound();
          wrap(EMPTY);
          sendNet();
          rawOut.flush();
        } catch (IOException e) {
          // closing anyway
        } finally {
          writeLock.unlock();
        }
      }
    } finally {
      raw.close();
      ReferenceCountUtil.release(engine); // frees BoringSSL's state now, not at finalization
    }
  }

  @Override
  public String toString() {
    return "EngineSocket[" + raw + "]";
  }
}
