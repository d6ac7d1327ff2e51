package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.metrics.Exposition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /metrics} of a running balancer is valid, typed Prometheus text. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
  private static final String FE = "127.0.42.1";
  private static final Map<String, String> WEB = Map.of("rule", "web");
  private static final Map<String, String> BACKEND =
      Map.of("rule", "web", "pool", "pool", "backend", "127.0.42.10");

  private static TcpBackend backend;
  private static LoadBalancer lb;
  private static Exposition scraped;

  @BeforeAll
  static void relayOneConnection() throws Exception {
    backend = TcpBackend.start("127.0.42.10", 0, false);
    lb =
        LoadBalancer.start(
            LbConfig.parse(
                String.join(
                    "\n",
                    "admin: {address: 127.0.0.1, port: 0}",
                    "frontends: [{name: fe, ip: " + FE + "}]",
                    "pools: [{name: pool, backends: [{ip: 127.0.42.10, name: one}]}]",
                    "probes: [{name: tcp, protocol: tcp, interval: 5s, threshold: 2}]",
                    "rules:",
                    "  - {name: web, frontend: fe, frontendPort: 0, protocol: tcp, pool: pool,",
                    "     backendPort: " + backend.port() + ", probe: tcp, idleTimeout: 4m}")),
            1);
    try (Socket s = new Socket(FE, lb.port("web"))) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("1\n".getBytes(StandardCharsets.UTF_8));
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("127.0.42.10 1");
      // Still open while scraping, so the active gauges read 1.
      scraped = Exposition.scrape(new InetSocketAddress("127.0.0.1", lb.adminPort()));
    }
  }

  @AfterAll
  static void stop() {
    if (lb != null) {
      lb.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void countsAndGaugesAreTypedAndLabelled() {
    assertThat(scraped.contentType).isEqualTo(Exposition.CONTENT_TYPE);
    Exposition.Family accepted = scraped.family("lb_rule_connections_total");
    assertThat(accepted.type()).isEqualTo("counter");
    assertThat(accepted.samples())
        .containsExactly(new Exposition.Sample("lb_rule_connections_total", WEB, 1.0));
    Exposition.Family active = scraped.family("lb_rule_connections_active");
    assertThat(active.type()).isEqualTo("gauge");
    assertThat(active.samples())
        .containsExactly(new Exposition.Sample("lb_rule_connections_active", WEB, 1.0));
    assertThat(scraped.family("lb_backend_connections_active").samples())
        .containsExactly(new Exposition.Sample("lb_backend_connections_active", BACKEND, 1.0));
    assertThat(scraped.family("lb_backend_up").type()).isEqualTo("gauge");
    assertThat(scraped.family("lb_backend_up").samples())
        .extracting(Exposition.Sample::labels)
        .containsExactly(
            Map.of(
                "probe",
                "tcp",
                "backend",
                "127.0.42.10",
                "port",
                Integer.toString(backend.port())));
    assertThat(scraped.family("lb_rule_bytes_total").samples())
        .extracting(s -> s.labels().get("direction"))
        .containsExactlyInAnyOrder("in", "out");
    assertThat(scraped.family("jvm_memory_used_bytes").type()).isEqualTo("gauge");
  }

  @Test
  void prometheusClientParserReadsTheSameSamples() throws Exception {
    Optional<JsonNode> parsed = scraped.parsedByPrometheusClient();
    assumeTrue(
        parsed.isPresent(),
        "python3-prometheus-client is not installed "
            + "(apt-get install python3-prometheus-client); only the Java checks ran");
    assertThat(Exposition.samplesOf(parsed.get()))
        .isEqualTo(scraped.samples())
        .containsEntry("lb_rule_connections_total{rule=web}", 1.0);
  }
}
