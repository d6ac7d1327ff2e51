package dev.switchboard.lb.internal;

import dev.switchboard.metrics.PrometheusText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * One balancer's metric families in its own registry (several balancers share a JVM). Each family
 * is typed here once; {@link RuleCounters}, {@link BackendCounters} and {@link HealthMonitor}
 * resolve their labelled data points once so the data path only adds to them.
 */
public final class Metrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  final Counter ruleConnections =
      counter("lb_rule_connections_total", "TCP connections accepted", "rule");
  final Gauge ruleActive = gauge("lb_rule_connections_active", "TCP connections open", "rule");
  final Counter ruleRefused =
      counter(
          "lb_rule_connections_refused_total",
          "TCP connections refused (no healthy backend or every connect attempt failed)",
          "rule");
  final Counter ruleUdpFlows = counter("lb_rule_udp_flows_total", "UDP flows created", "rule");
  final Gauge ruleUdpFlowsActive =
      gauge("lb_rule_udp_flows_active", "UDP flows in the flow table", "rule");
  final Counter ruleUdpDropped =
      counter(
          "lb_rule_udp_datagrams_dropped_total",
          "UDP datagrams dropped (no healthy backend or flow table full)",
          "rule");
  final Counter ruleUdpFlowsRefused =
      counter(
          "lb_rule_udp_flows_refused_total",
          "New UDP flows refused: the source address has maxUdpFlowsPerSource flows (source_cap)"
              + " or the rule has maxUdpFlows (table_full)",
          "rule",
          "reason");
  final Counter adminRefused =
      counter(
          "lb_admin_requests_refused_total",
          "Admin API requests refused before routing: no or wrong bearer token (unauthorized),"
              + " a Host that is not this API (misdirected), a body that is not JSON"
              + " (unsupported_media_type)",
          "reason");
  final Counter ruleBytes = counter("lb_rule_bytes_total", "Bytes relayed", "rule", "direction");
  final Counter ruleProxyRefused =
      counter(
          "lb_rule_proxy_refused_total",
          "TCP connections closed over a PROXY header: a client's own (forged) or a trusted"
              + " proxy's missing or invalid one (invalid)",
          "rule",
          "reason");

  final Counter backendConnections =
      counter(
          "lb_backend_connections_total",
          "TCP connections sent to the backend",
          "rule",
          "pool",
          "backend");
  final Gauge backendActive =
      gauge(
          "lb_backend_connections_active",
          "TCP connections open to the backend",
          "rule",
          "pool",
          "backend");
  final Counter backendConnectFailures =
      counter(
          "lb_backend_connect_failures_total",
          "TCP connects to the backend that failed or timed out",
          "rule",
          "pool",
          "backend");
  final Counter backendBytes =
      counter("lb_backend_bytes_total", "Bytes relayed", "rule", "pool", "backend", "direction");
  final Counter backendUdpFlows =
      counter(
          "lb_backend_udp_flows_total", "UDP flows sent to the backend", "rule", "pool", "backend");
  final Counter backendDatagrams =
      counter(
          "lb_backend_datagrams_total",
          "UDP datagrams relayed",
          "rule",
          "pool",
          "backend",
          "direction");

  final Counter probeResults =
      counter("lb_probe_results_total", "Probe results", "probe", "backend", "port", "result");
  final Counter probeStateChanges =
      counter(
          "lb_backend_state_changes_total",
          "Probe state changes (up/down)",
          "probe",
          "backend",
          "port");
  final Gauge probeUp =
      gauge("lb_backend_up", "1 if the probe considers the backend up", "probe", "backend", "port");

  /** The Prometheus text (format 0.0.4) of this balancer's metrics and the JVM's. */
  public String render() {
    return PrometheusText.render(registry);
  }

  public static String contentType() {
    return PrometheusText.CONTENT_TYPE;
  }

  private Counter counter(String name, String help, String... labels) {
    // Exemplars need a tracer we do not have; without them inc() is a plain LongAdder add.
    return Counter.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .withoutExemplars()
        .register(registry);
  }

  private Gauge gauge(String name, String help, String... labels) {
    return Gauge.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .withoutExemplars()
        .register(registry);
  }
}
