package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LbTcpTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final String FE = "127.0.11.1";
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private List<TcpBackend> backends(int n, boolean proxy) throws IOException {
    List<TcpBackend> out = new ArrayList<>();
    TcpBackend first = TcpBackend.start("127.0.10.1", 0, proxy);
    out.add(first);
    for (int i = 2; i <= n; i++) {
      out.add(TcpBackend.start("127.0.10." + i, first.port(), proxy));
    }
    closeables.addAll(out);
    return out;
  }

  private LoadBalancer start(List<TcpBackend> bs, RuleConfig.Builder rule, ProbeConfig probe) {
    List<Backend> members = new ArrayList<>();
    bs.forEach(b -> members.add(Backend.of(b.ip)));
    LbConfig c =
        LbConfig.empty()
            .withFrontend(new FrontendConfig("fe", FE))
            .withPool(new PoolConfig("pool", members))
            .withRule(
                rule.frontend("fe")
                    .pool("pool")
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
  void defaultModeSpreadsConnectionsFromOneClientAcrossBackends() throws Exception {
    List<TcpBackend> bs = backends(3, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("web"), null);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      seen.add(Clients.tcp(lb.address("web"), "127.0.12.1", "hello" + i));
    }
    assertThat(seen).containsExactlyInAnyOrder("127.0.10.1", "127.0.10.2", "127.0.10.3");
    // A client's close reaches the backend and frees the relay.
    await().atMost(PATIENCE).until(() -> bs.stream().allMatch(b -> b.openConnections() == 0));
    await()
        .atMost(PATIENCE)
        .until(() -> lb.metrics().contains("lb_rule_connections_active{rule=\"web\"} 0.0"));
  }

  @Test
  void largeTransfersArriveIntactBothWays() throws Exception {
    List<TcpBackend> bs = backends(1, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("web"), null);
    StringBuilder big = new StringBuilder();
    while (big.length() < 2_000_000) {
      big.append("0123456789abcdefghijklmnopqrstuvwxyz");
    }
    String msg = big.toString();
    assertThat(Clients.tcp(lb.address("web"), "127.0.12.1", msg)).isEqualTo("127.0.10.1");
    await().atMost(PATIENCE).until(() -> bs.get(0).openConnections() == 0);
    await()
        .atMost(PATIENCE)
        .until(() -> lb.metrics().contains("lb_rule_connections_active{rule=\"web\"} 0.0"));
  }

  @Test
  void sourceIpModeKeepsEachClientAddressOnOneBackend() throws Exception {
    List<TcpBackend> bs = backends(3, false);
    LoadBalancer lb =
        start(bs, RuleConfig.builder("web").distribution(Distribution.SOURCE_IP), null);
    Map<String, Set<String>> bySource = new HashMap<>();
    for (int src = 1; src <= 24; src++) {
      for (int i = 0; i < 4; i++) {
        String ip = "127.0.12." + src;
        bySource
            .computeIfAbsent(ip, k -> new HashSet<>())
            .add(Clients.tcp(lb.address("web"), ip, "x"));
      }
    }
    Set<String> used = new HashSet<>();
    bySource.forEach(
        (src, set) -> {
          assertThat(set).as("backends seen by " + src).hasSize(1);
          used.addAll(set);
        });
    assertThat(used).as("sources spread over backends").hasSizeGreaterThan(1);
  }

  @Test
  void backendsAddedAndRemovedAtRunTime() throws Exception {
    List<TcpBackend> bs = backends(2, false);
    LoadBalancer lb = start(bs.subList(0, 1), RuleConfig.builder("web"), null);
    for (int i = 0; i < 10; i++) {
      assertThat(Clients.tcp(lb.address("web"), "127.0.12.1", "a")).isEqualTo("127.0.10.1");
    }
    lb.addBackend("pool", Backend.of("127.0.10.2"), Optional.empty());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      seen.add(Clients.tcp(lb.address("web"), "127.0.12.1", "b"));
    }
    assertThat(seen).contains("127.0.10.2");
    lb.removeBackend("pool", "127.0.10.1");
    for (int i = 0; i < 20; i++) {
      assertThat(Clients.tcp(lb.address("web"), "127.0.12.1", "c")).isEqualTo("127.0.10.2");
    }
    assertThat(lb.config().pools().get(0).backends())
        .extracting(Backend::ip)
        .containsExactly("127.0.10.2");
  }

  @Test
  void removedBackendKeepsEstablishedConnectionUntilDrainEnds() throws Exception {
    List<TcpBackend> bs = backends(1, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("web").drain(Duration.ofMillis(800)), null);
    try (Socket s = new Socket()) {
      s.connect(lb.address("web"), Clients.TIMEOUT_MS);
      s.setSoTimeout(Clients.TIMEOUT_MS);
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      s.getOutputStream().write("one\n".getBytes(StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("127.0.10.1 one");
      lb.removeBackend("pool", "127.0.10.1");
      s.getOutputStream().write("two\n".getBytes(StandardCharsets.UTF_8));
      assertThat(r.readLine()).as("still relayed while draining").isEqualTo("127.0.10.1 two");
      assertThat(lb.health()).anySatisfy(h -> assertThat(h.draining()).isTrue());
      assertThat(r.readLine()).as("closed when the drain period ends").isNull();
    }
    assertThatThrownBy(() -> Clients.tcp(lb.address("web"), "127.0.12.1", "x"))
        .as("an empty pool refuses new connections")
        .isInstanceOf(IOException.class);
  }

  @Test
  void proxyProtocolV2HeaderCarriesTheClientAddress() throws Exception {
    List<TcpBackend> bs = backends(1, true);
    LoadBalancer lb = start(bs, RuleConfig.builder("web").proxyProtocol(true), null);
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.12.7"), 0));
      s.connect(lb.address("web"), Clients.TIMEOUT_MS);
      s.setSoTimeout(Clients.TIMEOUT_MS);
      s.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
      String line =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertThat(line).isEqualTo("127.0.10.1 hi");
      HAProxyMessage m = bs.get(0).proxyHeaders.get(0);
      assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP4);
      assertThat(m.sourceAddress()).isEqualTo("127.0.12.7");
      assertThat(m.sourcePort()).isEqualTo(s.getLocalPort());
      assertThat(m.destinationAddress()).isEqualTo(FE);
      assertThat(m.destinationPort()).isEqualTo(lb.port("web"));
    }
  }

  @Test
  void idleConnectionIsResetAfterIdleTimeout() throws Exception {
    List<TcpBackend> bs = backends(1, false);
    LoadBalancer lb =
        start(
            bs, RuleConfig.builder("web").idleTimeout(Duration.ofMillis(300)).tcpReset(true), null);
    try (Socket s = new Socket()) {
      s.connect(lb.address("web"), Clients.TIMEOUT_MS);
      s.setSoTimeout(Clients.TIMEOUT_MS);
      s.getOutputStream().write("one\n".getBytes(StandardCharsets.UTF_8));
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("127.0.10.1 one");
      assertThatThrownBy(r::readLine).as("RST after idle").hasMessageContaining("reset");
    }
  }

  @Test
  void connectionThatKeepsTalkingOutlivesItsIdleTimeout() throws Exception {
    List<TcpBackend> bs = backends(1, false);
    Duration idle = Duration.ofMillis(1000);
    LoadBalancer lb = start(bs, RuleConfig.builder("web").idleTimeout(idle), null);
    try (Socket s = new Socket()) {
      s.connect(lb.address("web"), Clients.TIMEOUT_MS);
      s.setSoTimeout(Clients.TIMEOUT_MS);
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      // Traffic every fifth of the timeout for three timeouts: the relay's reads keep it alive.
      for (int i = 0; i < 15; i++) {
        s.getOutputStream().write(("m" + i + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("127.0.10.1 m" + i);
        Thread.sleep(idle.toMillis() / 5);
      }
    }
  }

  @Test
  void connectFailureRetriesAnotherBackend() throws Exception {
    List<TcpBackend> bs = backends(2, false);
    LoadBalancer lb = start(bs, RuleConfig.builder("web"), null);
    lb.addBackend("pool", Backend.of("127.0.10.99"), Optional.empty());
    for (int i = 0; i < 30; i++) {
      assertThat(Clients.tcp(lb.address("web"), "127.0.12.1", "r" + i))
          .isIn("127.0.10.1", "127.0.10.2");
    }
    assertThat(connectFailures(lb, "127.0.10.99")).as("the dead backend was tried").isPositive();
  }

  @Test
  void connectThatTimesOutRetriesAnotherBackend() throws Exception {
    List<TcpBackend> bs = backends(1, false);
    // A listener that never accepts, its queue full: the kernel drops further SYNs, so a connect
    // to it neither succeeds nor fails until the balancer's connect timeout ends it.
    try (ServerSocket stalled = new ServerSocket()) {
      stalled.bind(new InetSocketAddress("127.0.10.3", bs.get(0).port()), 1);
      List<Socket> fill = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket f = new Socket();
          fill.add(f);
          try {
            f.connect(stalled.getLocalSocketAddress(), 300);
          } catch (IOException queueFull) {
            break;
          }
        }
        LoadBalancer lb =
            start(bs, RuleConfig.builder("web").connectTimeout(Duration.ofMillis(300)), null);
        lb.addBackend("pool", Backend.of("127.0.10.3"), Optional.empty());
        for (int i = 0; i < 12; i++) {
          assertThat(Clients.tcp(lb.address("web"), "127.0.12." + (i + 1), "r" + i))
              .isEqualTo("127.0.10.1");
        }
        assertThat(connectFailures(lb, "127.0.10.3")).as("connects timed out").isPositive();
      } finally {
        for (Socket f : fill) {
          f.close();
        }
      }
    }
  }

  @Test
  void killedBackendGetsNoNewConnectionsAndClientsKeepWorking() throws Exception {
    List<TcpBackend> bs = backends(3, false);
    ProbeConfig probe = ProbeConfig.tcp("tcp", Duration.ofMillis(200), 2);
    LoadBalancer lb =
        start(bs, RuleConfig.builder("web").connectTimeout(Duration.ofMillis(500)), probe);
    AtomicBoolean run = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String src = "127.0.12." + (t + 1);
      Thread th =
          new Thread(
              () -> {
                while (run.get()) {
                  try {
                    Clients.tcp(lb.address("web"), src, "load");
                    ok.incrementAndGet();
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }
              });
      th.start();
      load.add(th);
    }
    await().atMost(PATIENCE).until(() -> ok.get() > 100);
    bs.get(1).close();
    await()
        .atMost(PATIENCE)
        .until(() -> lb.health().stream().anyMatch(h -> h.ip().equals("127.0.10.2") && !h.up()));
    // Requests in flight on the killed backend's connections die with it; count only those.
    int inFlightAtKill = failures.size();
    failures.clear();
    int before = ok.get();
    await().atMost(PATIENCE).until(() -> ok.get() > before + 200);
    run.set(false);
    for (Thread th : load) {
      th.join(10_000);
    }
    assertThat(inFlightAtKill)
        .as("only requests in flight at the kill fail")
        .isLessThanOrEqualTo(8);
    assertThat(failures).as("after the probe marks it down, every request succeeds").isEmpty();
    long failuresAfterDown = connectFailures(lb, "127.0.10.2");
    for (int i = 0; i < 50; i++) {
      assertThat(Clients.tcp(lb.address("web"), "127.0.12.9", "after")).isNotEqualTo("127.0.10.2");
    }
    assertThat(connectFailures(lb, "127.0.10.2"))
        .as("no new flows to the dead backend")
        .isEqualTo(failuresAfterDown);
  }

  private static long connectFailures(LoadBalancer lb, String ip) {
    for (String line : lb.metrics().split("\n")) {
      if (line.startsWith("lb_backend_connect_failures_total{")
          && line.contains("\"" + ip + "\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
