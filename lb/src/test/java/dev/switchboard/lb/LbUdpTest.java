package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LbUdpTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final String FE = "127.0.21.1";
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private List<UdpBackend> backends(int n, boolean proxy) throws IOException {
    List<UdpBackend> out = new ArrayList<>();
    UdpBackend first = UdpBackend.start("127.0.20.1", 0, proxy);
    out.add(first);
    for (int i = 2; i <= n; i++) {
      out.add(UdpBackend.start("127.0.20." + i, first.port(), proxy));
    }
    closeables.addAll(out);
    return out;
  }

  private LoadBalancer start(List<UdpBackend> bs, RuleConfig.Builder rule, ProbeConfig probe) {
    List<Backend> members = new ArrayList<>();
    bs.forEach(b -> members.add(Backend.of(b.ip)));
    LbConfig c =
        LbConfig.empty()
            .withFrontend(new FrontendConfig("fe", FE))
            .withPool(new PoolConfig("pool", members))
            .withRule(
                rule.frontend("fe")
                    .pool("pool")
                    .protocol(Protocol.UDP)
                    .backendPort(bs.get(0).port())
                    .probe(probe == null ? null : probe.name())
                    .build());
    if (probe != null) {
      c = c.withProbe(probe);
    }
    LoadBalancer lb = LoadBalancer.start(c, 2);
    closeables.add(lb);
    return lb;
  }

  @Test
  void manyConcurrentClientsEachGetTheirOwnReplies() throws Exception {
    List<UdpBackend> bs = backends(3, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("dns"), null);
    InetSocketAddress fe = lb.address("dns");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Set<String>>> results = new ArrayList<>();
      for (int c = 0; c < 200; c++) {
        int id = c;
        results.add(
            pool.submit(
                () -> {
                  Set<String> seen = new HashSet<>();
                  try (DatagramSocket s = Clients.udpSocket("127.0.22." + (1 + id % 50))) {
                    for (int i = 0; i < 5; i++) {
                      String msg = "client" + id + "-" + i;
                      String reply = Clients.udp(s, fe, msg);
                      assertThat(reply).endsWith(" " + msg);
                      seen.add(reply.substring(0, reply.indexOf(' ')));
                    }
                  }
                  return seen;
                }));
      }
      Set<String> used = new HashSet<>();
      for (Future<Set<String>> f : results) {
        Set<String> seen = f.get();
        assertThat(seen).as("one flow, one backend").hasSize(1);
        used.addAll(seen);
      }
      assertThat(used).hasSize(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeDatagramsPassWholeBothWays() throws Exception {
    List<UdpBackend> bs = backends(1, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("sip"), null);
    String big = "x".repeat(9000) + "end";
    try (DatagramSocket s = Clients.udpSocket("127.0.22.7")) {
      assertThat(Clients.udp(s, lb.address("sip"), big)).endsWith(" " + big);
    }
  }

  @Test
  void idleFlowExpiresAndTheNextDatagramOpensANewOne() throws Exception {
    List<UdpBackend> bs = backends(1, false);
    LoadBalancer lb =
        start(bs, RuleConfig.builder("dns").idleTimeout(Duration.ofMillis(300)), null);
    try (DatagramSocket s = Clients.udpSocket("127.0.22.1")) {
      for (int i = 0; i < 3; i++) {
        Clients.udp(s, lb.address("dns"), "a" + i);
      }
      assertThat(bs.get(0).senders).as("one upstream socket per flow").hasSize(1);
      await()
          .atMost(PATIENCE)
          .until(() -> lb.metrics().contains("lb_rule_udp_flows_active{rule=\"dns\"} 0.0"));
      Clients.udp(s, lb.address("dns"), "b");
      assertThat(bs.get(0).senders).as("a new flow after the idle timeout").hasSize(2);
    }
  }

  @Test
  void flowsOfADownBackendMoveOnTheirNextDatagram() throws Exception {
    List<UdpBackend> bs = backends(2, false);
    TcpBackend probe1 = TcpBackend.start("127.0.20.1", 0, false);
    TcpBackend probe2 = TcpBackend.start("127.0.20.2", probe1.port(), false);
    closeables.add(probe1);
    closeables.add(probe2);
    ProbeConfig probe =
        new ProbeConfig(
            "tcp", ProbeProtocol.TCP, probe1.port(), null, Duration.ofMillis(200), 2, null, null);
    LoadBalancer lb = start(bs, RuleConfig.builder("dns"), probe);
    List<DatagramSocket> clients = new ArrayList<>();
    try {
      String victim = null;
      DatagramSocket moved = null;
      for (int i = 1; i <= 20 && moved == null; i++) {
        DatagramSocket s = Clients.udpSocket("127.0.22." + i);
        clients.add(s);
        String reply = Clients.udp(s, lb.address("dns"), "x");
        if (reply.startsWith("127.0.20.1 ")) {
          victim = "127.0.20.1";
          moved = s;
        }
      }
      assertThat(moved).as("some client lands on 127.0.20.1").isNotNull();
      probe1.close();
      bs.get(0).close();
      await()
          .atMost(PATIENCE)
          .until(() -> lb.health().stream().anyMatch(h -> h.ip().equals("127.0.20.1") && !h.up()));
      assertThat(Clients.udp(moved, lb.address("dns"), "y")).isEqualTo("127.0.20.2 y");
      assertThat(victim).isNotNull();
    } finally {
      clients.forEach(DatagramSocket::close);
    }
  }

  @Test
  void proxyV2HeaderIsPrependedToEachDatagram() throws Exception {
    List<UdpBackend> bs = backends(1, true);
    LoadBalancer lb = start(bs, RuleConfig.builder("dns").proxyProtocol(true), null);
    try (DatagramSocket s = Clients.udpSocket("127.0.22.9")) {
      assertThat(Clients.udp(s, lb.address("dns"), "p1")).isEqualTo("127.0.20.1 p1");
      assertThat(Clients.udp(s, lb.address("dns"), "p2")).isEqualTo("127.0.20.1 p2");
      assertThat(bs.get(0).proxyHeaders).hasSize(2);
      HAProxyMessage m = bs.get(0).proxyHeaders.get(1);
      assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.UDP4);
      assertThat(m.sourceAddress()).isEqualTo("127.0.22.9");
      assertThat(m.sourcePort()).isEqualTo(s.getLocalPort());
      assertThat(m.destinationAddress()).isEqualTo(FE);
      assertThat(m.destinationPort()).isEqualTo(lb.port("dns"));
    }
  }

  @Test
  void newClientsBeyondTheFlowCapAreDropped() throws Exception {
    List<UdpBackend> bs = backends(1, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("dns").maxUdpFlows(2), null);
    try (DatagramSocket a = Clients.udpSocket("127.0.22.1");
        DatagramSocket b = Clients.udpSocket("127.0.22.2");
        DatagramSocket c = Clients.udpSocket("127.0.22.3")) {
      Clients.udp(a, lb.address("dns"), "a");
      Clients.udp(b, lb.address("dns"), "b");
      c.setSoTimeout(300);
      assertThatThrownBy(() -> Clients.udp(c, lb.address("dns"), "c"))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(Clients.udp(a, lb.address("dns"), "a2")).isEqualTo("127.0.20.1 a2");
      assertThat(lb.metrics()).contains("lb_rule_udp_datagrams_dropped_total{rule=\"dns\"} 1.0");
      assertThat(refused(lb, "table_full")).isEqualTo("1.0");
    }
  }

  @Test
  void aFewSourcesCannotFillTheFlowTable() throws Exception {
    List<UdpBackend> bs = backends(1, false);
    // Without the per-source cap, 3 sources x 4 flows would take all 10 places.
    LoadBalancer lb =
        start(bs, RuleConfig.builder("dns").maxUdpFlows(10).maxUdpFlowsPerSource(3), null);
    List<DatagramSocket> flood = new ArrayList<>();
    try {
      for (int src = 1; src <= 3; src++) {
        for (int i = 0; i < 4; i++) {
          DatagramSocket s = Clients.udpSocket("127.0.23." + src);
          flood.add(s);
          if (i < 3) {
            assertThat(Clients.udp(s, lb.address("dns"), "f" + i)).isEqualTo("127.0.20.1 f" + i);
          } else {
            s.setSoTimeout(300);
            assertThatThrownBy(() -> Clients.udp(s, lb.address("dns"), "over"))
                .isInstanceOf(SocketTimeoutException.class);
          }
        }
      }
      assertThat(refused(lb, "source_cap")).isEqualTo("3.0");
      try (DatagramSocket newcomer = Clients.udpSocket("127.0.23.9")) {
        assertThat(Clients.udp(newcomer, lb.address("dns"), "hi")).isEqualTo("127.0.20.1 hi");
      }
      // A capped source's existing flows still work.
      assertThat(Clients.udp(flood.get(0), lb.address("dns"), "again"))
          .isEqualTo("127.0.20.1 again");
    } finally {
      for (DatagramSocket s : flood) {
        s.close();
      }
    }
  }

  /** The value of {@code lb_rule_udp_flows_refused_total} for rule dns and {@code reason}. */
  private static String refused(LoadBalancer lb, String reason) {
    for (String line : lb.metrics().split("\n")) {
      if (line.startsWith("lb_rule_udp_flows_refused_total{")
          && line.contains("reason=\"" + reason + "\"")
          && line.contains("rule=\"dns\"")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    return "absent";
  }

  /**
   * A UDP socket on the frontend address that, like another balancer's, shares with SO_REUSEPORT.
   */
  private static DatagramSocket squatter(boolean reusePort) throws IOException {
    DatagramSocket s = new DatagramSocket(null);
    if (reusePort) {
      s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }
    s.bind(new InetSocketAddress(InetAddress.getByName(FE), 0));
    return s;
  }

  @Test
  void aUdpPortTakenByAnotherSocketIsRefusedNotShared() throws Exception {
    List<UdpBackend> bs = backends(1, false);
    for (boolean reusePort : new boolean[] {false, true}) {
      try (DatagramSocket taken = squatter(reusePort)) {
        assertThatThrownBy(
                () -> start(bs, RuleConfig.builder("dns").frontendPort(taken.getLocalPort()), null))
            .as("SO_REUSEPORT on the squatter: %s", reusePort)
            .isInstanceOf(LbException.class)
            .satisfies(
                e -> {
                  assertThat(((LbException) e).code()).isEqualTo(LbException.Code.PORT_IN_USE);
                  assertThat(e.getMessage()).contains("udp " + FE + ":" + taken.getLocalPort());
                });
      }
    }
  }

  @Test
  void aSecondBalancerCannotTakeTheSameUdpPort() throws Exception {
    List<UdpBackend> bs = backends(1, false);
    LoadBalancer first = start(bs, RuleConfig.builder("dns"), null);
    int port = first.port("dns");
    assertThatThrownBy(() -> start(bs, RuleConfig.builder("dns").frontendPort(port), null))
        .isInstanceOf(LbException.class)
        .extracting(e -> ((LbException) e).code())
        .isEqualTo(LbException.Code.PORT_IN_USE);
    try (DatagramSocket s = Clients.udpSocket("127.0.22.5")) {
      assertThat(Clients.udp(s, first.address("dns"), "still")).isEqualTo("127.0.20.1 still");
    }
  }
}
