package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
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
 * The seed topology with every broker in a process of its own: {@code kill -9} of one broker leaves
 * the rest running, its region's other broker answers for its hostname through the whole path (POP,
 * backbone, regional lb) with the client's hostname check passing, and a broker of another region
 * cannot answer for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerProcessFailoverTest {
  /** Probes and restarts on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final List<String> IDS =
      List.of("broker-us-1", "broker-us-2", "broker-in-3", "broker-in-4");

  @TempDir static Path dir;
  @RegisterExtension static final TestResources started = new TestResources();
  LocalTopology net;
  ClientOptions alice;

  @BeforeAll
  void start() throws Exception {
    net =
        started.topology(
            Topology.load(Path.of("..", "examples", "seed-topology.yaml")),
            dir,
            LocalTopology.Options.fastFullPath(205).withBrokerProcesses(true));
    alice = net.client(Role.CONTROLLER, "alice");
  }

  @Test
  @Order(1)
  void everyBrokerRunsInAProcessOfItsOwnAndAnswersForItsHostname() throws Exception {
    Set<Long> pids = new HashSet<>();
    for (String id : IDS) {
      long pid = net.pid(id);
      assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      pids.add(pid);
      try (BrokerConnection c = BrokerConnection.open(alice, net.endpoint("in", id))) {
        assertThat(c.brokerId()).isEqualTo(id);
      }
    }
    assertThat(pids).hasSize(IDS.size());
    assertThatThrownBy(() -> net.broker("broker-in-3")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @Order(2)
  void killingBrokerIn3LeavesItsHostnameToBrokerIn4AndTheRestRunning() throws Exception {
    long pid = net.pid("broker-in-3");
    net.killHard("broker-in-3");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    try {
      // No waiting for a probe: the regional lb's connect to broker-in-3 is refused and retried
      // on the backup level at once. The client verified broker-in-4's certificate against the
      // hostname it dialled, broker-in-3's.
      for (String from : List.of("in", "us")) {
        try (BrokerConnection c = BrokerConnection.open(alice, net.endpoint(from, "broker-in-3"))) {
          assertThat(c.brokerId()).isEqualTo("broker-in-4");
        }
      }
      for (String id : List.of("broker-us-1", "broker-us-2", "broker-in-4")) {
        try (BrokerConnection c = BrokerConnection.open(alice, net.endpoint("in", id))) {
          assertThat(c.brokerId()).isEqualTo(id);
        }
      }
      // Once the regional probe has seen it, the POPs still send the hostname home: its region
      // answers for it, so it never fails over to the other region while broker-in-4 is up.
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  !regionalUp("broker-in-3", "broker-in-3")
                      && regionalUp("broker-in-3", "broker-in-4"));
      assertThat(homeRegionUp("in", "broker-in-3")).isTrue();
      assertThat(homeRegionUp("us", "broker-in-3")).isTrue();
      try (BrokerConnection c = BrokerConnection.open(alice, net.endpoint("in", "broker-in-3"))) {
        assertThat(c.brokerId()).isEqualTo("broker-in-4");
      }
    } finally {
      net.startBroker("broker-in-3");
    }
    // Back in its pool at priority 0, broker-in-3 takes its hostname's new connections again.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              try (BrokerConnection c =
                  BrokerConnection.open(alice, net.endpoint("in", "broker-in-3"))) {
                assertThat(c.brokerId()).isEqualTo("broker-in-3");
              }
            });
  }

  @Test
  @Order(3)
  void aBrokerOfAnotherRegionCannotAnswerForTheHostname() throws Exception {
    net.killHard("broker-in-3");
    net.killHard("broker-in-4");
    try {
      await()
          .atMost(PATIENCE)
          .until(() -> !homeRegionUp("in", "broker-in-3") && !homeRegionUp("in", "broker-in-4"));
      // The POP sends broker-in-3's hostname to region us, whose brokers' certificates do not
      // name it: the client refuses them. Their own hostnames still work.
      assertThatThrownBy(() -> BrokerConnection.open(alice, net.endpoint("in", "broker-in-3")))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("broker-in-3.company.com");
      try (BrokerConnection c = BrokerConnection.open(alice, net.endpoint("in", "broker-us-1"))) {
        assertThat(c.brokerId()).isEqualTo("broker-us-1");
      }
    } finally {
      net.startBroker("broker-in-3");
      net.startBroker("broker-in-4");
    }
    net.awaitReady(PATIENCE);
  }

  /** True while region R's POP sends the broker's hostname to the broker's home region. */
  private boolean homeRegionUp(String pop, String brokerId) {
    String home = net.topology().broker(brokerId).orElseThrow().region();
    return net.globalLb(pop).health().stream()
        .filter(h -> h.rule().equals("g-" + brokerId) && h.name().equals(home))
        .allMatch(BackendHealth::up);
  }

  /**
   * True while the regional lb's rule for {@code hostnameOf}'s hostname counts {@code member} up.
   */
  private boolean regionalUp(String hostnameOf, String member) {
    String region = net.topology().broker(hostnameOf).orElseThrow().region();
    return net.regionalLb(region).health().stream()
        .anyMatch(h -> h.rule().equals("r-" + hostnameOf) && h.name().equals(member) && h.up());
  }
}
