package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code priority} distribution over real sockets: failover to the next level and back. */
class LbPriorityTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final String FE = "127.0.61.1";
  private static final String NEAR = "127.0.60.1";
  private static final String FAR = "127.0.60.2";
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TcpBackend near;
  private TcpBackend far;
  private LoadBalancer lb;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private void start(ProbeConfig probe) throws IOException {
    near = TcpBackend.start(NEAR, 0, false);
    far = TcpBackend.start(FAR, near.port(), false);
    closeables.add(near);
    closeables.add(far);
    lb =
        LoadBalancer.start(
            LbConfig.empty()
                .withFrontend(new FrontendConfig("fe", FE))
                .withPool(
                    PoolConfig.of(
                        "regions", new Backend(NEAR, "near", 0), new Backend(FAR, "far", 1)))
                .withProbe(probe)
                .withRule(
                    RuleConfig.builder("global")
                        .frontend("fe")
                        .pool("regions")
                        .backendPort(near.port())
                        .probe(probe.name())
                        .distribution(Distribution.PRIORITY)
                        .build()),
            2);
    closeables.add(lb);
  }

  /**
   * The backends that answered {@code n} new connections from varied source addresses and ports.
   */
  private List<String> connect(int n) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Clients.tcp(lb.address("global"), "127.0.62." + (1 + i % 20), "m" + i));
    }
    return out;
  }

  @Test
  void newFlowsGoToTheBestLevelFailOverWhenItDiesAndReturnWhenItRecovers() throws Exception {
    start(ProbeConfig.tcp("fast", Duration.ofMillis(200), 2));
    assertThat(connect(40)).containsOnly(NEAR);
    assertThat(lb.eligibleBackends("global")).isEqualTo(2);

    near.close();
    await().atMost(PATIENCE).until(() -> lb.eligibleBackends("global") == 1);
    assertThat(connect(40)).containsOnly(FAR);

    near = TcpBackend.start(NEAR, far.port(), false);
    closeables.add(near);
    await().atMost(PATIENCE).until(() -> lb.eligibleBackends("global") == 2);
    assertThat(connect(40)).containsOnly(NEAR);
  }

  @Test
  void beforeTheProbeNoticesAFailedConnectFallsThroughToTheNextLevel() throws Exception {
    // A probe too slow to notice: only the connect retry can save these connections.
    start(ProbeConfig.tcp("slow", Duration.ofMinutes(1), 2));
    near.close();
    assertThat(connect(10)).containsOnly(FAR);
    assertThat(lb.eligibleBackends("global")).isEqualTo(2);
  }

  @Test
  void reRankingMovesNewFlowsAndKeepsEstablishedOnes() throws Exception {
    start(ProbeConfig.tcp("fast", Duration.ofMillis(200), 2));
    try (Socket s = new Socket()) {
      s.connect(lb.address("global"), Clients.TIMEOUT_MS);
      s.setSoTimeout(Clients.TIMEOUT_MS);
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      s.getOutputStream().write("1\n".getBytes(StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo(NEAR + " 1");

      lb.addBackend("regions", new Backend(NEAR, "near", 5), Optional.empty());
      assertThat(connect(40)).containsOnly(FAR);
      assertThat(lb.config().pools().get(0).backends()).contains(new Backend(NEAR, "near", 5));

      s.getOutputStream().write("2\n".getBytes(StandardCharsets.UTF_8));
      assertThat(r.readLine()).as("re-ranking does not drain").isEqualTo(NEAR + " 2");
    }
  }

  @Test
  void withEveryLevelDownNewFlowsAreRefusedAndTheRuleReportsNoEligibleBackend() throws Exception {
    start(ProbeConfig.tcp("fast", Duration.ofMillis(200), 2));
    near.close();
    far.close();
    await().atMost(PATIENCE).until(() -> lb.eligibleBackends("global") == 0);
    assertThat(lb.health()).allSatisfy(h -> assertThat(h.up()).isFalse());
  }

  @Test
  void prioritySurvivesAYamlRoundTrip() {
    LbConfig c =
        LbConfig.parse(
            String.join(
                "\n",
                "frontends: [{name: fe, ip: " + FE + "}]",
                "pools: [{name: regions, backends: [{ip: " + NEAR + ", name: near},",
                "                                   {ip: " + FAR + ", name: far, priority: 2}]}]",
                "rules: [{name: global, frontend: fe, pool: regions, backendPort: 1, distribution: priority}]"));
    assertThat(c.pools().get(0).backends())
        .containsExactly(new Backend(NEAR, "near"), new Backend(FAR, "far", 2));
    assertThat(c.rules().get(0).distribution()).isEqualTo(Distribution.PRIORITY);
    assertThat(LbConfig.parse(c.toYaml())).isEqualTo(c);
  }
}
