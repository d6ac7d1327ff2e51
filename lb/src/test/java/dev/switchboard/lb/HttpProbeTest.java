package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void httpProbeFollowsTheStatusCodeAndAllProbedUpKeepsServing() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.43.1"), 0), 16);
    http.createContext(
        "/healthz",
        ex -> {
          ex.sendResponseHeaders(status.get(), -1);
          ex.close();
        });
    http.start();
    try (TcpBackend b = TcpBackend.start("127.0.43.1", 0, false)) {
      ProbeConfig probe =
          ProbeConfig.http("h", http.getAddress().getPort(), "/healthz", Duration.ofMillis(100), 2);
      LbConfig c =
          LbConfig.empty()
              .withFrontend(new FrontendConfig("fe", "127.0.44.1"))
              .withPool(PoolConfig.of("pool", Backend.of("127.0.43.1")))
              .withProbe(probe)
              .withRule(
                  RuleConfig.builder("web")
                      .frontend("fe")
                      .pool("pool")
                      .backendPort(b.port())
                      .probe("h")
                      .build());
      try (LoadBalancer lb = LoadBalancer.start(c, 1)) {
        assertThat(Clients.tcp(lb.address("web"), "127.0.45.1", "a")).isEqualTo("127.0.43.1");
        status.set(503);
        await().atMost(PATIENCE).until(() -> lb.health().stream().noneMatch(BackendHealth::up));
        assertThat(lb.metrics()).contains("lb_probe_results_total{").contains("result=\"down\"");
        // allProbedDown (the default): refused.
        Assertions.assertThatThrownBy(() -> Clients.tcp(lb.address("web"), "127.0.45.1", "b"))
            .isInstanceOf(IOException.class);
        lb.apply(
            lb.config()
                .withProbe(
                    probe.withNoHealthyBackendsBehavior(NoHealthyBackendsBehavior.ALL_PROBED_UP)));
        await().atMost(PATIENCE).until(() -> lb.health().stream().noneMatch(BackendHealth::up));
        assertThat(Clients.tcp(lb.address("web"), "127.0.45.1", "c"))
            .as("allProbedUp sends anyway")
            .isEqualTo("127.0.43.1");
        status.set(200);
        await().atMost(PATIENCE).until(() -> lb.health().stream().allMatch(BackendHealth::up));
        assertThat(List.of(lb.port("web"))).doesNotContain(0);
      }
    } finally {
      http.stop(0);
    }
  }
}
