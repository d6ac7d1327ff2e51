package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.metrics.Exposition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void labelValuesAreEscaped() {
    // The config validator keeps quotes out of names today; the exposition must not rely on it.
    Metrics m = new Metrics();
    new RuleCounters(m, "a \"quoted\" \\ rule").connections.inc();
    String text = m.render();
    assertThat(text).contains("lb_rule_connections_total{rule=\"a \\\"quoted\\\" \\\\ rule\"} 1.0");
    assertThat(Exposition.parse("", text).family("lb_rule_connections_total").samples())
        .containsExactly(
            new Exposition.Sample(
                "lb_rule_connections_total", Map.of("rule", "a \"quoted\" \\ rule"), 1.0));
  }

  @Test
  void eachMetricsHasItsOwnRegistry() {
    Metrics one = new Metrics();
    Metrics two = new Metrics();
    new RuleCounters(one, "web").connections.inc();
    assertThat(one.render()).contains("lb_rule_connections_total{rule=\"web\"} 1.0");
    assertThat(two.render()).doesNotContain("lb_rule_connections_total{");
  }
}
