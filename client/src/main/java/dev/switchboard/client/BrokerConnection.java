package dev.switchboard.client;

import dev.switchboard.client.internal.tls.ClientTls;
import dev.switchboard.client.internal.tls.EngineSocket;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.StreamFrames;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One mutually authenticated TLS 1.3 connection to a broker in its control phase: HELLO done, ready
 * for pings, a code request, a join or an attach. Blocking; writes are thread-safe.
 */
public final class BrokerConnection implements AutoCloseable {
  private final BrokerEndpoint endpoint;
  private final Socket socket;
  private final BatchingSocket raw;
  private final DataInputStream in;
  private final OutputStream out;
  private final ClientOptions opts;
  private String brokerId;
  // System.nanoTime() when TCP connected and when the TLS handshake finished, for timings.
  private long connectedNanos;
  private long handshakeNanos;

  private BrokerConnection(
      ClientOptions opts, BrokerEndpoint endpoint, Socket socket, BatchingSocket raw)
      throws IOException {
    this.opts = opts;
    this.raw = raw;
    this.endpoint = endpoint;
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    this.out = socket.getOutputStream();
  }

  /**
   * Connects, completes the TLS handshake (verifying the broker's certificate against the CA and
   * the endpoint's hostname) and exchanges HELLO.
   */
  public static BrokerConnection open(ClientOptions opts, BrokerEndpoint endpoint)
      throws IOException {
    return open(opts, endpoint, null, null);
  }

  /**
   * As {@link #open(ClientOptions, BrokerEndpoint)}, sending {@code pipelined} right behind HELLO
   * without waiting for HELLO_OK (saves a round trip; the caller reads its answer next).
   */
  public static BrokerConnection open(
      ClientOptions opts, BrokerEndpoint endpoint, Message pipelined, Runnable afterHandshake)
      throws IOException {
    int timeout = (int) opts.connectTimeout().toMillis();
    InetSocketAddress addr =
        endpoint.address().isUnresolved()
            ? new InetSocketAddress(
                endpoint.address().getHostString(), endpoint.address().getPort())
            : endpoint.address();
    BatchingSocket raw = new BatchingSocket();
    Socket tls = null;
    String phase = "while connecting";
    try {
      raw.setTcpNoDelay(true);
      if (opts.bindAddress() != null) {
        raw.bind(new InetSocketAddress(opts.bindAddress(), 0));
      }
      raw.connect(addr, timeout);
      long connected = System.nanoTime();
      phase = "during the TLS handshake";
      tls = handshake(opts, endpoint.hostname(), addr.getPort(), raw, timeout);
      long handshaken = System.nanoTime();
      phase = "before answering HELLO";
      if (afterHandshake != null) {
        afterHandshake.run();
      }
      BrokerConnection c = new BrokerConnection(opts, endpoint, tls, raw);
      c.connectedNanos = connected;
      c.handshakeNanos = handshaken;
      byte[] hello =
          StreamFrames.encode(
              new Message.Hello(Frames.MIN_VERSION, Frames.VERSION, "switchboard-client/0.1"));
      if (pipelined != null) {
        byte[] next = StreamFrames.encode(pipelined);
        byte[] both = Arrays.copyOf(hello, hello.length + next.length);
        System.arraycopy(next, 0, both, hello.length, next.length);
        hello = both;
      }
      c.out.write(hello);
      c.out.flush();
      Message m = c.read();
      if (!(m instanceof Message.HelloOk ok)) {
        throw unexpected(m, "HELLO_OK");
      }
      c.brokerId = ok.brokerId();
      tls.setSoTimeout(0);
      return c;
    } catch (IOException e) {
      (tls != null ? tls : raw).close();
      throw naming(e, endpoint, phase);
    } catch (RuntimeException e) {
      (tls != null ? tls : raw).close();
      throw e;
    }
  }

  /**
   * TLS 1.3 over {@code raw}, verifying the broker's certificate against the CA and {@code host}:
   * BoringSSL through an {@link EngineSocket} where it loads, the JDK's {@code SSLSocket}
   * otherwise.
   */
  private static Socket handshake(
      ClientOptions opts, String host, int port, BatchingSocket raw, int timeout)
      throws IOException {
    Socket tls;
    if (ClientTls.openSsl()) {
      tls = new EngineSocket(raw, raw.unbufferedInput(), ClientTls.engine(opts.tls(), host, port));
    } else {
      SSLSocket jdk =
          (SSLSocket) opts.sslContext().getSocketFactory().createSocket(raw, host, port, true);
      SSLParameters p = jdk.getSSLParameters();
      p.setProtocols(new String[] {"TLSv1.3"});
      p.setEndpointIdentificationAlgorithm("HTTPS");
      jdk.setSSLParameters(p);
      tls = jdk;
    }
    try {
      tls.setSoTimeout(timeout);
      if (tls instanceof EngineSocket e) {
        e.startHandshake();
      } else {
        ((SSLSocket) tls).startHandshake();
      }
      return tls;
    } catch (IOException | RuntimeException e) {
      tls.close(); // frees BoringSSL's engine; the caller closes the TCP socket
      throw e;
    }
  }

  /**
   * A failure to set up the connection, reworded to name the broker. A connection the broker cut
   * (reset, broken pipe, end of stream: its handshake timeout, an overload) becomes a {@link
   * ConnectException}, a network error like a refused connection; other types are kept.
   */
  static IOException naming(IOException e, BrokerEndpoint endpoint, String phase) {
    if (e instanceof RefusedException || e instanceof BindException) {
      return e; // the broker's own words; a local address problem
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    IOException named;
    if (e instanceof SSLHandshakeException) {
      named = new SSLHandshakeException(endpoint + ": " + why);
    } else if (e instanceof SSLException) {
      named = new SSLException(endpoint + ": " + why);
    } else if (e instanceof SocketTimeoutException) {
      named = new SocketTimeoutException(endpoint + " did not answer " + phase + " (" + why + ")");
    } else if (e instanceof ConnectException) {
      named = new ConnectException(endpoint + ": " + why);
    } else if (e instanceof SocketException || e instanceof EOFException) {
      named = new ConnectException(endpoint + " closed the connection " + phase + " (" + why + ")");
    } else {
      return e;
    }
    named.initCause(e);
    return named;
  }

  /** Sends one message as one TLS record. */
  public void send(Message m) throws IOException {
    byte[] frame = StreamFrames.encode(m);
    synchronized (out) {
      out.write(frame);
      out.flush();
    }
  }

  /** Reads the next message; a broker ERROR becomes a {@link RefusedException}. */
  public Message read() throws IOException {
    Message m = readRaw();
    if (m instanceof Message.Error e) {
      throw new RefusedException(e.code(), e.message());
    }
    return m;
  }

  Message readRaw() throws IOException {
    try {
      return StreamFrames.read(in);
    } catch (ProtocolException e) {
      throw new RefusedException(e.code(), "broker sent a bad frame: " + e.getMessage());
    }
  }

  /** One application-level round trip over this TLS connection, in nanoseconds. */
  public long ping() throws IOException {
    long nonce = System.nanoTime();
    send(new Message.Ping(nonce));
    Message m = read();
    if (!(m instanceof Message.Pong p) || p.nonce() != nonce) {
      throw unexpected(m, "PONG");
    }
    return System.nanoTime() - nonce;
  }

  /** Sets a read timeout (0 = none) for the next reads. */
  void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  static IOException unexpected(Message m, String wanted) {
    return new RefusedException(
        ErrorCode.UNEXPECTED_MESSAGE,
        "expected "
            + wanted
            + " from the broker, got "
            + (m == null ? "nothing" : m.getClass().getSimpleName()));
  }

  public String brokerId() {
    return brokerId;
  }

  /** {@code System.nanoTime()} when the TCP connection was established. */
  long connectedNanos() {
    return connectedNanos;
  }

  /** {@code System.nanoTime()} when the TLS handshake finished. */
  long handshakeNanos() {
    return handshakeNanos;
  }

  /** The identity and timeouts this connection was opened with. */
  ClientOptions options() {
    return opts;
  }

  public BrokerEndpoint endpoint() {
    return endpoint;
  }

  DataInputStream input() {
    return in;
  }

  OutputStream output() {
    return out;
  }

  /** The TCP socket under the TLS one, for batching a session's writes. */
  BatchingSocket raw() {
    return raw;
  }

  Socket socket() {
    return socket;
  }

  boolean isTimeout(IOException e) {
    return e instanceof SocketTimeoutException;
  }

  /**
   * Closes at once, without the TLS goodbye: a thread blocked writing to a relay that broke is
   * released (closing the TLS socket would wait for that thread's write lock).
   */
  void kill() {
    try {
      raw.close();
    } catch (IOException e) {
      // closing anyway
    }
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
