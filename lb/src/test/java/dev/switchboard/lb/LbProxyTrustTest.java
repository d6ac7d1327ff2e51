package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.config.Cidr;
import dev.switchboard.lb.internal.ProxyV2;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rule that trusts one proxy: only that peer may (and must) send a PROXY v2 header, the balancer
 * forwards its own header naming the client it carried, and backend connections come from the
 * rule's source address.
 */
class LbProxyTrustTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final String FE = "127.0.90.1";
  private static final String TRUSTED = "127.0.90.50";
  private static final String SOURCE = "127.0.90.99";
  private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.7", 4242);
  private static final InetSocketAddress DIALLED = new InetSocketAddress("203.0.113.1", 443);
  private static final byte[] V1 =
      "PROXY TCP4 198.51.100.7 203.0.113.1 4242 443\r\n".getBytes(StandardCharsets.US_ASCII);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private RawBackend backend;
  private LoadBalancer lb;

  @BeforeEach
  void start() throws IOException {
    backend = RawBackend.start("127.0.90.10");
    closeables.add(backend);
    lb =
        LoadBalancer.start(
            LbConfig.empty()
                .withFrontend(new FrontendConfig("fe", FE))
                .withPool(new PoolConfig("p", List.of(Backend.of("127.0.90.10"))))
                .withRule(
                    RuleConfig.builder("r")
                        .frontend("fe")
                        .pool("p")
                        .backendPort(backend.port())
                        .proxyProtocol(true)
                        .trustedProxies(List.of(Cidr.parse("trustedProxies", TRUSTED + "/32")))
                        .sourceAddress(SOURCE)
                        .connectTimeout(Duration.ofSeconds(1))
                        .build()),
            1);
    closeables.add(lb);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void aTrustedProxysHeaderIsReplacedByTheBalancersOwnNamingTheSameClient() throws Exception {
    try (Socket s = connect(TRUSTED)) {
      send(s, ProxyV2.header(CLIENT, DIALLED, false), "hello\n".getBytes(StandardCharsets.UTF_8));
      assertThat(readLine(s)).isEqualTo("ok");
    }
    assertThat(backend.conns).hasSize(1);
    RawBackend.Conn c = backend.conns.get(0);
    assertThat(c.peer().getAddress().getHostAddress()).isEqualTo(SOURCE);
    await().atMost(PATIENCE).until(() -> c.received().length > 0);
    Decoded d = decode(c.received());
    assertThat(d.header.sourceAddress()).isEqualTo("198.51.100.7");
    assertThat(d.header.sourcePort()).isEqualTo(4242);
    assertThat(d.header.destinationAddress()).isEqualTo("203.0.113.1");
    assertThat(d.header.destinationPort()).isEqualTo(443);
    assertThat(d.rest).isEqualTo("hello\n"); // exactly one header, then the client's bytes
  }

  @Test
  void forgedHeadersFromAnUntrustedPeerAreRefusedWhileALegitimateFlowGoesOn() throws Exception {
    try (Socket legit = connect("127.0.90.20")) {
      send(legit, "one\n".getBytes(StandardCharsets.UTF_8));
      assertThat(readLine(legit)).isEqualTo("ok");
      byte[][] forgeries = {
        concat(ProxyV2.header(CLIENT, DIALLED, false), "x-forged-v2\n"),
        concat(V1, "x-forged-v1\n"),
      };
      for (byte[] forged : forgeries) {
        try (Socket attacker = connect("127.0.90.66")) {
          send(attacker, forged);
          assertClosed(attacker);
        }
      }
      // In two writes: the first few bytes cannot be told from a signature yet.
      try (Socket attacker = connect("127.0.90.66")) {
        byte[] forged = concat(ProxyV2.header(CLIENT, DIALLED, false), "x-forged-split\n");
        attacker.getOutputStream().write(forged, 0, 3);
        attacker.getOutputStream().flush();
        attacker.getOutputStream().write(forged, 3, forged.length - 3);
        assertClosed(attacker);
      }
      // A stream that only starts like a v1 header is served.
      try (Socket near = connect("127.0.90.21")) {
        send(near, "PROXIMITY\n".getBytes(StandardCharsets.UTF_8));
        assertThat(readLine(near)).isEqualTo("ok");
      }
      send(legit, "two\n".getBytes(StandardCharsets.UTF_8));
      assertThat(readLine(legit)).isEqualTo("ok");
    }
    assertThat(metric("forged")).isEqualTo(3.0);
    await().atMost(PATIENCE).until(() -> backend.allReceived().contains("PROXIMITY"));
    assertThat(backend.allReceived()).doesNotContain("x-forged").doesNotContain("PROXY ");
    for (RawBackend.Conn c : backend.conns) {
      assertThat(c.peer().getAddress().getHostAddress()).isEqualTo(SOURCE);
      Decoded d = decode(c.received());
      assertThat(d.header.sourceAddress()).isIn("127.0.90.20", "127.0.90.21", "127.0.90.66");
      assertThat(d.rest).isIn("", "one\ntwo\n", "PROXIMITY\n");
    }
  }

  @Test
  void aTrustedPeerMustOpenWithAVersion2Header() throws Exception {
    byte[][] bad = {
      "hello\n".getBytes(StandardCharsets.UTF_8),
      concat(V1, "hello\n"),
      concat(
          new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A},
          "\u0099 not a version\n"),
    };
    for (byte[] b : bad) {
      try (Socket s = connect(TRUSTED)) {
        send(s, b);
        assertClosed(s);
      }
    }
    try (Socket silent = connect(TRUSTED)) {
      assertClosed(silent); // nothing within the rule's connectTimeout
    }
    assertThat(metric("invalid")).isEqualTo(4.0);
    assertThat(backend.conns).isEmpty(); // no backend is chosen before the header
  }

  @Test
  void udpUpstreamsComeFromTheSourceAddress() throws Exception {
    UdpBackend ub = UdpBackend.start("127.0.90.11", 0, false);
    closeables.add(ub);
    LoadBalancer udp =
        LoadBalancer.start(
            LbConfig.empty()
                .withFrontend(new FrontendConfig("fe", "127.0.90.2"))
                .withPool(new PoolConfig("p", List.of(Backend.of("127.0.90.11"))))
                .withRule(
                    RuleConfig.builder("u")
                        .frontend("fe")
                        .protocol(Protocol.UDP)
                        .pool("p")
                        .backendPort(ub.port())
                        .sourceAddress(SOURCE)
                        .build()),
            1);
    closeables.add(udp);
    try (DatagramSocket s = Clients.udpSocket("127.0.90.30")) {
      assertThat(Clients.udp(s, udp.address("u"), "hi")).isEqualTo("127.0.90.11 hi");
    }
    assertThat(ub.senders)
        .singleElement()
        .satisfies(a -> assertThat(((InetSocketAddress) a).getHostString()).isEqualTo(SOURCE));
  }

  private double metric(String reason) {
    for (String line : lb.metrics().split("\n")) {
      if (line.startsWith("lb_rule_proxy_refused_total{")
          && line.contains("reason=\"" + reason + "\"")
          && line.contains("rule=\"r\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(
        "no lb_rule_proxy_refused_total for " + reason + " in " + lb.metrics());
  }

  private Socket connect(String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(lb.address("r"), Clients.TIMEOUT_MS);
    s.setSoTimeout(Clients.TIMEOUT_MS);
    return s;
  }

  private static void send(Socket s, byte[]... parts) throws IOException {
    for (byte[] p : parts) {
      s.getOutputStream().write(p);
    }
    s.getOutputStream().flush();
  }

  private static String readLine(Socket s) throws IOException {
    // One reader per line is fine: the backend answers one line per request, nothing more.
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = s.getInputStream().read()) >= 0 && c != '\n') {
      sb.append((char) c);
    }
    return sb.toString();
  }

  /** The balancer closed the connection: end of stream or a reset, not a timeout. */
  private static void assertClosed(Socket s) throws IOException {
    try {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the balancer kept the connection open", e);
    } catch (SocketException e) {
      // reset: closed as well
    }
  }

  private static byte[] concat(byte[] a, String b) {
    return concat(a, b.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private record Decoded(HAProxyMessage header, String rest) {}

  /** The first PROXY header and everything after it, as a backend's decoder sees them. */
  private static Decoded decode(byte[] bytes) {
    EmbeddedChannel ch = new EmbeddedChannel(new HAProxyMessageDecoder());
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
      HAProxyMessage h = ch.readInbound();
      assertThat(h).as("a PROXY header first").isNotNull();
      StringBuilder rest = new StringBuilder();
      Object m;
      while ((m = ch.readInbound()) != null) {
        rest.append(((ByteBuf) m).toString(StandardCharsets.ISO_8859_1));
        ((ByteBuf) m).release();
      }
      h.release();
      return new Decoded(h, rest.toString());
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
