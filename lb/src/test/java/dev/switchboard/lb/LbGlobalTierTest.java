package dev.switchboard.lb;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two tiers as docs/lb.md describes them: a global {@code priority} rule over two regional
 * frontends, probing each region's {@code /rules/{rule}/health} on its admin port.
 */
class LbGlobalTierTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final String NEAR_FE = "127.0.70.1";
  private static final String FAR_FE = "127.0.70.2";
  private static final String NEAR_BROKER = "127.0.71.1";
  private static final String FAR_BROKER = "127.0.72.1";
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private LoadBalancer regional(
      String fe, String broker, int brokerPort, int rulePort, int adminPort) {
    LoadBalancer lb =
        LoadBalancer.start(
            LbConfig.empty()
                .withAdmin(fe, adminPort)
                .withFrontend(new FrontendConfig("fe", fe))
                .withPool(PoolConfig.of("brokers", Backend.of(broker)))
                .withProbe(ProbeConfig.tcp("tcp", Duration.ofMillis(200), 2))
                .withRule(
                    RuleConfig.builder("broker")
                        .frontend("fe")
                        .frontendPort(rulePort)
                        .pool("brokers")
                        .backendPort(brokerPort)
                        .probe("tcp")
                        .build()),
            1);
    closeables.add(lb);
    return lb;
  }

  /** Polls until ten new connections in a row through {@code global} all reach {@code broker}. */
  private static void waitForAllNewFlowsAt(LoadBalancer global, String broker) throws Exception {
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              try {
                for (int i = 0; i < 10; i++) {
                  if (!Clients.tcp(global.address("global"), "127.0.74." + (1 + i), "m" + i)
                      .equals(broker)) {
                    return false;
                  }
                }
                return true;
              } catch (IOException e) {
                return false; // a region in the middle of leaving rotation
              }
            });
  }

  @Test
  void aRegionWithoutHealthyBrokersLeavesRotationAndComesBack() throws Exception {
    TcpBackend nearBroker = TcpBackend.start(NEAR_BROKER, 0, false);
    closeables.add(nearBroker);
    int brokerPort = nearBroker.port();
    closeables.add(TcpBackend.start(FAR_BROKER, brokerPort, false));
    LoadBalancer near = regional(NEAR_FE, NEAR_BROKER, brokerPort, 0, 0);
    // Same rule port and admin port in every region, as a global pool needs.
    regional(FAR_FE, FAR_BROKER, brokerPort, near.port("broker"), near.adminPort());

    LoadBalancer global =
        LoadBalancer.start(
            LbConfig.empty()
                .withFrontend(new FrontendConfig("anycast", "127.0.73.1"))
                .withPool(
                    PoolConfig.of(
                        "regions", new Backend(NEAR_FE, "near", 0), new Backend(FAR_FE, "far", 1)))
                .withProbe(
                    ProbeConfig.http(
                        "region",
                        near.adminPort(),
                        "/rules/broker/health",
                        Duration.ofSeconds(1),
                        2))
                .withRule(
                    RuleConfig.builder("global")
                        .frontend("anycast")
                        .frontendPort(0)
                        .pool("regions")
                        .backendPort(near.port("broker"))
                        .probe("region")
                        .distribution(Distribution.PRIORITY)
                        .build()),
            1);
    closeables.add(global);
    waitForAllNewFlowsAt(global, NEAR_BROKER);

    nearBroker.close();
    await().atMost(PATIENCE).until(() -> near.eligibleBackends("broker") == 0);
    await().atMost(PATIENCE).until(() -> global.eligibleBackends("global") == 1);
    waitForAllNewFlowsAt(global, FAR_BROKER);

    closeables.add(TcpBackend.start(NEAR_BROKER, brokerPort, false));
    await().atMost(PATIENCE).until(() -> global.eligibleBackends("global") == 2);
    waitForAllNewFlowsAt(global, NEAR_BROKER);
  }
}
