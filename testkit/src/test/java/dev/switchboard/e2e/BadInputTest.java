package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.LegitSession;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gets its documented error, and the broker keeps serving other clients. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  @TempDir Path otherDir;
  TestPki pki;
  Broker broker;
  BrokerEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    BrokerConfig cfg =
        TestBrokers.config(pki, "broker-bad-1")
            .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(5));
    broker = started.broker(cfg, Clock.systemUTC());
    endpoint = TestBrokers.endpoint(broker);
  }

  @AfterEach
  void stillServes() throws Exception {
    assertBrokerStillServes();
  }

  @Test
  void connectionWithoutClientCertificateIsRefusedInTheHandshake() throws Exception {
    SSLContext noCert = SSLContext.getInstance("TLSv1.3");
    noCert.init(null, pki.controller("alice").trustManagerFactory().getTrustManagers(), null);
    assertThatThrownBy(
            () -> {
              try (SSLSocket s = rawTls(noCert)) {
                s.getOutputStream()
                    .write(
                        StreamFrames.encode(
                            new Message.Hello(Frames.VERSION, Frames.VERSION, "no-cert")));
                StreamFrames.read(
                    new DataInputStream(s.getInputStream())); // TLS 1.3: the refusal arrives here
              }
            })
        .isInstanceOf(IOException.class);
    waitForHandshakeFailures(1);
  }

  @Test
  void certificateFromAnotherCaIsRefusedInTheHandshake() throws Exception {
    TestPki other = TestPki.create(otherDir);
    TlsMaterial stranger = other.controller("eve");
    // Trust our broker's CA, but present a certificate from the other CA.
    TlsMaterial mixed =
        TlsMaterial.of(pki.ca().certificate(), other.ca().issue(Role.CONTROLLER, "eve"));
    ClientOptions opts = ClientOptions.of(mixed);
    assertThatThrownBy(() -> BrokerConnection.open(opts, endpoint)).isInstanceOf(IOException.class);
    assertThat(stranger.role()).isNotNull();
    waitForHandshakeFailures(1);
  }

  @Test
  void malformedFrameGetsProtocolErrorAndIsClosed() throws Exception {
    try (SSLSocket s = rawTls(ClientOptions.of(pki.target("t1")).sslContext())) {
      s.getOutputStream()
          .write(StreamFrames.encode(new Message.Hello(Frames.VERSION, Frames.VERSION, "raw")));
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertThat(StreamFrames.read(in)).isInstanceOf(Message.HelloOk.class);
      s.getOutputStream().write(new byte[] {0x12, 0, 2, 0, 9}); // JOIN with a truncated string
      assertError(in, ErrorCode.PROTOCOL_ERROR);
      assertClosed(in);
    }
  }

  @Test
  void oversizedFrameGetsFrameTooLargeAndIsClosed() throws Exception {
    try (SSLSocket s = rawTls(ClientOptions.of(pki.target("t1")).sslContext())) {
      s.getOutputStream().write(new byte[] {0x20, (byte) 0xFF, (byte) 0xFF});
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertError(in, ErrorCode.FRAME_TOO_LARGE);
      assertClosed(in);
    }
  }

  @Test
  void requestBeforeHelloIsUnexpected() throws Exception {
    try (SSLSocket s = rawTls(ClientOptions.of(pki.controller("alice")).sslContext())) {
      s.getOutputStream().write(StreamFrames.encode(new Message.CodeRequest()));
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertError(in, ErrorCode.UNEXPECTED_MESSAGE);
    }
  }

  @Test
  void unsupportedVersionIsRefused() throws Exception {
    try (SSLSocket s = rawTls(ClientOptions.of(pki.controller("alice")).sslContext())) {
      s.getOutputStream().write(StreamFrames.encode(new Message.Hello(7, 9, "future")));
      assertError(new DataInputStream(s.getInputStream()), ErrorCode.UNSUPPORTED_VERSION);
    }
  }

  @Test
  void clientsThatStallMidHandshakeAreCutOffWhileASessionWorks() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket s = new Socket("127.0.0.1", broker.clientPort());
        stalled.add(s);
        s.getOutputStream()
            .write(new byte[] {0x16, 0x03}); // half a TLS record header, then silence
      }

      LegitSession.assertWorks(pki, broker);

      for (Socket s : stalled) {
        s.setSoTimeout(10_000);
        assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the handshake timeout
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
    waitForHandshakeFailures(20);
  }

  @Test
  void idleControlConnectionIsClosedWithTimeout() throws Exception {
    try (SSLSocket s = rawTls(ClientOptions.of(pki.controller("alice")).sslContext())) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertError(in, ErrorCode.HANDSHAKE_TIMEOUT);
    }
  }

  private void assertBrokerStillServes() throws IOException {
    try (BrokerConnection c =
        BrokerConnection.open(ClientOptions.of(pki.controller("probe")), endpoint)) {
      assertThat(c.ping()).isPositive();
    }
  }

  private void waitForHandshakeFailures(long n) {
    // A bound for a loaded build machine, not a timing.
    await("handshake failures counted").atMost(Duration.ofSeconds(20)).until(() -> failures() >= n);
  }

  private long failures() {
    return broker
        .metricsText()
        .lines()
        .filter(l -> l.startsWith("switchboard_tls_handshake_failures_total{"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private SSLSocket rawTls(SSLContext ctx) throws IOException {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", broker.clientPort());
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    s.setSSLParameters(p);
    s.setSoTimeout(5000);
    s.startHandshake();
    // TLS 1.3 reports a refused client certificate only on the first read.
    s.getOutputStream().flush();
    return s;
  }

  private static void assertError(DataInputStream in, ErrorCode code)
      throws IOException, ProtocolException {
    Message m = StreamFrames.read(in);
    assertThat(m).isInstanceOf(Message.Error.class);
    assertThat(((Message.Error) m).code()).isEqualTo(code);
    assertThat(((Message.Error) m).message()).isNotBlank();
  }

  private static void assertClosed(DataInputStream in) throws IOException {
    try {
      assertThat(in.read()).isEqualTo(-1);
    } catch (SSLException | SocketException e) {
      // closed hard: also fine
    }
  }

  static void write(OutputStream out, byte[] b) throws IOException {
    out.write(b);
    out.flush();
  }

  static void eof(DataInputStream in) throws IOException {
    assertThatThrownBy(in::readUnsignedByte).isInstanceOf(EOFException.class);
  }
}
