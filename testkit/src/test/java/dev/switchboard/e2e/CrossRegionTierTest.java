package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.LatencyProbe;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.internal.ProxyV2;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.topology.Topology;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of seed 000: client → its region's POP (global lb) → backbone → regional lb →
 * broker, and the failover scenarios of the cross-region tier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossRegionTierTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  @RegisterExtension static final TestResources started = new TestResources();
  LocalTopology net;
  ClientOptions alice;
  ClientOptions t1;

  @BeforeAll
  void start() throws Exception {
    net =
        started.topology(
            Topology.load(Path.of("..", "examples", "seed-topology.yaml")),
            dir,
            LocalTopology.Options.fastFullPath(202));
    alice = net.client(Role.CONTROLLER, "alice");
    t1 = net.client(Role.TARGET, "t1");
  }

  @Test
  @Order(1)
  void latencyMeasuredThroughTheTiersMatchesTheConfiguredPath() {
    List<ProbeResult> results = LatencyProbe.measure(t1, net.endpoints("in"));
    for (ProbeResult r : results) {
      assertThat(r.reachable()).as(r.toString()).isTrue();
      double configured =
          net.topology()
              .simulation()
              .rttMs("in", net.topology().broker(r.endpoint().id()).orElseThrow().region());
      // Never faster than the configured path; the best sample close to it (the median can be
      // inflated by a loaded machine, which is why the probe takes several samples).
      double best = Arrays.stream(r.samplesMs()).min().orElseThrow();
      assertThat(best).as(r.toString()).isBetween(configured - 1, configured + 50);
    }
    assertThat(LatencyProbe.best(results).orElseThrow().endpoint().id()).startsWith("broker-in");
  }

  @Test
  @Order(2)
  void sessionAcrossRegionsWorksThroughBothTiers() throws Exception {
    Session[] s = session("us", "broker-us-1", "in");
    assertThat(s[1].brokerId()).isIn("broker-in-3", "broker-in-4");
    MeshSessionTest.exchange(s[0], s[1]);
  }

  @Test
  @Order(3)
  void clientAddressesReachTheBrokerThroughBothTiers() throws Exception {
    // PROXY v2 from the POP, read by the regional tier (it trusts the POPs' source addresses) and
    // written anew toward the broker (which trusts only its regional lb's source address, not
    // 127.0.0.1): the broker rate-limits per real client.
    // Joins from one client address, a fresh connection for each (a connection closes after 5
    // refusals), until the broker refuses that client. The bucket refills one token every 6 s, so
    // a slow machine may get a few more than 10 evaluated first: what is asserted is that the limit
    // bites per client, not per tier.
    // A certificate of its own, so the sessions of the other tests keep theirs.
    ClientOptions fromA =
        net.client(Role.TARGET, "guesser").withBindAddress(InetAddress.getByName("127.9.9.9"));
    // Another certificate too: the guesser has spent its own per-certificate bucket by then.
    ClientOptions fromB =
        net.client(Role.TARGET, "t2").withBindAddress(InetAddress.getByName("127.9.9.10"));
    int evaluated = 0;
    ErrorCode last = ErrorCode.CODE_UNKNOWN;
    while (last == ErrorCode.CODE_UNKNOWN && evaluated < 40) {
      try (BrokerConnection a = BrokerConnection.open(fromA, net.endpoint("in", "broker-in-4"))) {
        last = joinError(a);
      }
      if (last == ErrorCode.CODE_UNKNOWN) {
        evaluated++;
      }
    }
    assertThat(last).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(evaluated).isGreaterThanOrEqualTo(10);
    // Had the broker seen every client under the regional lb's address, this one would be
    // refused too: its bucket would be the one just spent.
    try (BrokerConnection b = BrokerConnection.open(fromB, net.endpoint("in", "broker-in-4"))) {
      assertThat(joinError(b)).isEqualTo(ErrorCode.CODE_UNKNOWN);
    }
  }

  @Test
  @Order(3)
  void forgedProxyHeadersAreRefusedAtEveryTierWhileSessionsGoOn() throws Exception {
    Topology.BrokerSpec spec = net.topology().broker("broker-in-4").orElseThrow();
    Broker broker = net.broker("broker-in-4");
    InetSocketAddress forgedClient = new InetSocketAddress("192.0.2.77", 1);
    // Straight to the broker from 127.0.0.1, which every hop used to connect from.
    double brokerRefused = refused(broker.metricsText(), "switchboard_proxy_header_refused_total{");
    assertThat(
            forgeAndExpectClose(
                broker.clientAddress(),
                InetAddress.getByName("127.0.0.1"),
                ProxyV2.header(forgedClient, broker.clientAddress(), false)))
        .isTrue();
    assertThat(refused(broker.metricsText(), "switchboard_proxy_header_refused_total{"))
        .isEqualTo(brokerRefused + 1);
    // At the POP (a client's first hop) and at the regional lb (reachable only over the backbone,
    // but let us say someone got there), from an address neither trusts.
    InetSocketAddress pop = net.endpoint("in", "broker-in-4").address();
    InetSocketAddress regional =
        new InetSocketAddress(net.plan().regionalFrontend("in", spec), spec.clientPort());
    InetAddress attacker = InetAddress.getByName("127.9.9.66");
    double popRefused = refused(net.globalLb("in").metrics(), "lb_rule_proxy_refused_total{");
    double regionalRefused =
        refused(net.regionalLb("in").metrics(), "lb_rule_proxy_refused_total{");
    for (InetSocketAddress lb : List.of(pop, regional)) {
      assertThat(forgeAndExpectClose(lb, attacker, ProxyV2.header(forgedClient, lb, false)))
          .isTrue();
    }
    assertThat(refused(net.globalLb("in").metrics(), "lb_rule_proxy_refused_total{"))
        .isEqualTo(popRefused + 1);
    assertThat(refused(net.regionalLb("in").metrics(), "lb_rule_proxy_refused_total{"))
        .isEqualTo(regionalRefused + 1);
    Session[] s = session("us", "broker-us-1", "in");
    MeshSessionTest.exchange(s[0], s[1]);
  }

  /** Connects from {@code from}, sends {@code forged}: true if closed without a byte back. */
  private static boolean forgeAndExpectClose(InetSocketAddress to, InetAddress from, byte[] forged)
      throws Exception {
    try (Socket raw = new Socket(to.getAddress(), to.getPort(), from, 0)) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(forged);
      raw.getOutputStream().write("after the header".getBytes(StandardCharsets.US_ASCII));
      try {
        return raw.getInputStream().read() == -1;
      } catch (SocketException reset) {
        return true;
      }
    }
  }

  private static double refused(String metrics, String series) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(series) && !l.contains("reason=\"invalid\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  @Order(4)
  void withBrokerIn3DownATargetInIndiaChoosesBrokerIn4() throws Exception {
    net.stopBroker("broker-in-3");
    try {
      // Its regional lb sends its hostname to broker-in-4, its backup; the region stays up for it.
      await().atMost(PATIENCE).until(() -> !regionalUp("broker-in-3", "broker-in-3"));
      assertThat(homeRegionUp("in", "broker-in-3")).isTrue();
      Session[] s = session("us", "broker-us-1", "in");
      assertThat(s[1].brokerId()).isEqualTo("broker-in-4");
      MeshSessionTest.exchange(s[0], s[1]);
    } finally {
      net.startBroker("broker-in-3");
      await().atMost(PATIENCE).until(() -> regionalUp("broker-in-3", "broker-in-3"));
    }
  }

  @Test
  @Order(5)
  void withTheWholeIndiaRegionDownATargetInIndiaEndsOnAUsBroker() throws Exception {
    net.stopBroker("broker-in-3");
    net.stopBroker("broker-in-4");
    try {
      await()
          .atMost(PATIENCE)
          .until(() -> !homeRegionUp("in", "broker-in-3") && !homeRegionUp("in", "broker-in-4"));
      Session[] s = session("us", "broker-us-1", "in");
      assertThat(s[1].brokerId()).startsWith("broker-us");
      MeshSessionTest.exchange(s[0], s[1]);
    } finally {
      net.startBroker("broker-in-3");
      net.startBroker("broker-in-4");
      await()
          .atMost(PATIENCE)
          .until(() -> homeRegionUp("in", "broker-in-3") && homeRegionUp("in", "broker-in-4"));
    }
  }

  @Test
  @Order(6)
  void restartingARegionalLbLeavesSessionsThroughTheOtherRegionAlone() throws Exception {
    Session[] usSession = session("us", "broker-us-1", "us");
    assertThat(usSession[1].brokerId()).startsWith("broker-us");
    net.stopRegionalLb("in");
    try {
      await().atMost(PATIENCE).until(() -> !homeRegionUp("in", "broker-in-3"));
      MeshSessionTest.exchange(usSession[0], usSession[1]); // established, other region: untouched
    } finally {
      net.startRegionalLb("in");
    }
    // Brokers re-register within a third of their lease; the POP's probe then restores the region.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                homeRegionUp("in", "broker-in-3")
                    && homeRegionUp("in", "broker-in-4")
                    && homeRegionUp("us", "broker-in-3")
                    && homeRegionUp("us", "broker-in-4"));
    Session[] again = session("us", "broker-us-2", "in");
    assertThat(again[1].brokerId()).isIn("broker-in-3", "broker-in-4");
    MeshSessionTest.exchange(again[0], again[1]);
  }

  private Session[] session(String ctlRegion, String ctlBroker, String tgtRegion) throws Exception {
    Controller c =
        Controller.requestCode(
            alice, net.endpoint(ctlRegion, ctlBroker), net.resolver(ctlRegion), SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session t = Target.join(t1, net.endpoints(tgtRegion), c.code(), SessionEvents.NONE);
    return new Session[] {cs.get(30, TimeUnit.SECONDS), t};
  }

  private static ErrorCode joinError(BrokerConnection c) throws Exception {
    c.send(new Message.Join("ABCDE-FGHJK"));
    try {
      c.read();
      return null;
    } catch (RefusedException e) {
      return e.code();
    }
  }

  /** True while the regional lb's rule for {@code owner}'s hostname counts {@code member} up. */
  private boolean regionalUp(String owner, String member) {
    String region = net.topology().broker(owner).orElseThrow().region();
    return net.regionalLb(region).health().stream()
        .anyMatch(h -> h.rule().equals("r-" + owner) && h.name().equals(member) && h.up());
  }

  /** True while region R's POP sends the broker's hostname to the broker's home region. */
  private boolean homeRegionUp(String pop, String brokerId) {
    String home = net.topology().broker(brokerId).orElseThrow().region();
    return net.globalLb(pop).health().stream()
        .filter(h -> h.rule().equals("g-" + brokerId) && h.name().equals(home))
        .allMatch(BackendHealth::up);
  }
}
