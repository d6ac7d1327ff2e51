package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Starting a local topology: addresses the file chose, and saying what is not ready. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalTopologyStartTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  private static Topology twoRegions(String popA, String popB) {
    return Topology.parse(
        String.join(
            "\n",
            "name: two",
            "regions: [{id: a, pop: " + popA + "}, {id: b, pop: " + popB + "}]",
            "latencyMs: {a-a: 2, b-b: 2, a-b: 10}",
            "brokers:",
            "  - {id: broker-a-1, region: a, hostname: broker-a-1.test, address: 127.0.1.1}",
            "  - {id: broker-b-2, region: b, hostname: broker-b-2.test, address: 127.0.1.2}",
            ""));
  }

  /** The plan used to put region a's load balancer on 127.s.20.N too: "Address already in use". */
  @Test
  void popsWhereTheLoadBalancersUsedToListenStartAndServe() throws Exception {
    LocalTopology net =
        started.topology(
            twoRegions("127.0.20", "127.0.21"), dir, LocalTopology.Options.fastFullPath(203));
    ClientOptions alice = net.client(Role.CONTROLLER, "alice");
    try (BrokerConnection c = BrokerConnection.open(alice, net.endpoint("a", "broker-b-2"))) {
      assertThat(c.brokerId()).isEqualTo("broker-b-2");
    }
  }

  @Test
  void awaitReadyNamesTheMeshLinkThatIsDown() throws Exception {
    LocalTopology net =
        started.topology(
            twoRegions("127.0.10", "127.0.11"), dir, LocalTopology.Options.direct(204));
    net.awaitReady(Duration.ZERO); // ready: returns at once

    net.stopBroker("broker-b-2"); // its mesh address: nobody listens any more
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> net.awaitReady(Duration.ZERO))
                    .isInstanceOf(IOException.class)
                    .hasMessage(
                        "the local topology is not ready after 0 s: broker broker-a-1's mesh link"
                            + " to broker-b-2 is down; broker broker-b-2 is not running"));
  }
}
