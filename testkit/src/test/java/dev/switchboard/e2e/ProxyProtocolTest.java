package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.config.Cidr;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.LegitSession;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Behind a load balancer, the broker rate-limits the client address the PROXY v2 header names. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolTest {
  /** The load balancer in front: this test's raw sockets connect from 127.0.0.1. */
  private static final List<Cidr> LB = List.of(Cidr.parse("trustedProxies", "127.0.0.1/32"));

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void aClientForgingAProxyHeaderIsRefusedAndAPlainDirectClientIsServed() throws Exception {
    TestPki pki = TestPki.create(dir);
    Broker b =
        started.broker(
            TestBrokers.config(pki, "broker-pp2").withTrustedProxies(LB), Clock.systemUTC());
    InetAddress attacker = InetAddress.getByName("127.0.0.66");
    List<Socket> forging = new ArrayList<>();
    try {
      for (byte[] forged :
          List.of(
              proxyV2(InetAddress.getByName("192.0.2.77"), 1, attacker, b.clientPort()),
              "PROXY TCP4 192.0.2.77 127.0.0.1 1 7443\r\n".getBytes(StandardCharsets.US_ASCII))) {
        Socket raw = new Socket("127.0.0.1", b.clientPort(), attacker, 0);
        forging.add(raw);
        raw.getOutputStream().write(forged);
      }

      // Direct clients (not from the trusted proxy's address) set up a session meanwhile.
      InetAddress direct = InetAddress.getByName("127.0.2.50");
      LegitSession.assertWorks(
          pki.controllerOptions("alice").withBindAddress(direct),
          pki.targetOptions("t0").withBindAddress(direct),
          b);

      for (Socket raw : forging) {
        raw.setSoTimeout(10_000);
        assertThat(raw.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
      }
    } finally {
      for (Socket raw : forging) {
        raw.close();
      }
    }
    assertThat(refused(b)).isEqualTo(2.0);
    // Without a header the same peer is an ordinary direct client, under its own address.
    try (Socket raw = new Socket("127.0.0.1", b.clientPort(), attacker, 0)) {
      assertThat(joinOver(raw, b, pki.targetOptions("t1"))).isEqualTo(ErrorCode.CODE_UNKNOWN);
    }
  }

  @Test
  void theTrustedProxyMustSendAVersion2Header() throws Exception {
    TestPki pki = TestPki.create(dir);
    Broker b =
        started.broker(
            TestBrokers.config(pki, "broker-pp3").withTrustedProxies(LB), Clock.systemUTC());
    for (byte[] bad :
        List.of(
            "PROXY TCP4 192.0.2.77 127.0.0.1 1 7443\r\n".getBytes(StandardCharsets.US_ASCII),
            tlsRecordStart())) {
      try (Socket raw = new Socket("127.0.0.1", b.clientPort())) {
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write(bad);
        assertThat(raw.getInputStream().read()).isEqualTo(-1);
      }
    }
    assertThat(refused(b)).isEqualTo(2.0);
  }

  /** The first bytes of a TLS ClientHello record, as a client dialling directly would send. */
  private static byte[] tlsRecordStart() {
    byte[] b = new byte[64];
    b[0] = 0x16;
    b[1] = 0x03;
    b[2] = 0x01;
    b[4] = 59;
    return b;
  }

  private static double refused(Broker b) {
    return b.metricsText()
        .lines()
        .filter(l -> l.startsWith("switchboard_proxy_header_refused_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void failedJoinsAreCountedPerProxiedClientAddress() throws Exception {
    TestPki pki = TestPki.create(dir);
    ClientOptions t1 = pki.targetOptions("t1");
    try (Broker b =
        TestBrokers.start(
            pki, TestBrokers.config(pki, "broker-pp").withTrustedProxies(LB), Clock.systemUTC())) {
      for (int i = 0; i < 10; i++) {
        assertThat(join(b, t1, "127.0.0.91")).isEqualTo(ErrorCode.CODE_UNKNOWN);
      }
      assertThat(join(b, t1, "127.0.0.91")).isEqualTo(ErrorCode.RATE_LIMITED);
      // Same load balancer connection source, different real client (and certificate, since t1
      // has spent its per-certificate bucket too): not limited.
      assertThat(join(b, pki.targetOptions("t2"), "127.0.0.92")).isEqualTo(ErrorCode.CODE_UNKNOWN);
    }
  }

  private static ErrorCode join(Broker b, ClientOptions opts, String realClient) throws Exception {
    try (Socket raw = new Socket("127.0.0.1", b.clientPort())) {
      raw.getOutputStream()
          .write(
              proxyV2(
                  InetAddress.getByName(realClient),
                  40000,
                  InetAddress.getByName("127.0.0.1"),
                  b.clientPort()));
      return joinOver(raw, b, opts);
    }
  }

  /** TLS over {@code raw}, HELLO, a JOIN with a wrong code: the broker's answer. */
  private static ErrorCode joinOver(Socket raw, Broker b, ClientOptions opts) throws Exception {
    SSLSocket tls =
        (SSLSocket)
            opts.sslContext()
                .getSocketFactory()
                .createSocket(raw, "localhost", b.clientPort(), true);
    tls.setSoTimeout(5000);
    tls.startHandshake();
    tls.getOutputStream()
        .write(StreamFrames.encode(new Message.Hello(Frames.VERSION, Frames.VERSION, "pp-test")));
    tls.getOutputStream().write(StreamFrames.encode(new Message.Join("ABCDE-FGHJK")));
    DataInputStream in = new DataInputStream(tls.getInputStream());
    assertThat(StreamFrames.read(in)).isInstanceOf(Message.HelloOk.class);
    return ((Message.Error) StreamFrames.read(in)).code();
  }

  /**
   * A PROXY protocol v2 header for a TCP over IPv4 connection (haproxy proxy-protocol.txt §2.2).
   */
  static byte[] proxyV2(InetAddress src, int srcPort, InetAddress dst, int dstPort) {
    ByteBuffer b = ByteBuffer.allocate(16 + 12);
    b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    b.put((byte) 0x21); // version 2, PROXY command
    b.put((byte) 0x11); // AF_INET, STREAM
    b.putShort((short) 12);
    b.put(src.getAddress())
        .put(dst.getAddress())
        .putShort((short) srcPort)
        .putShort((short) dstPort);
    return b.array();
  }
}
