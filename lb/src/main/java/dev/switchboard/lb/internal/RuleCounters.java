package dev.switchboard.lb.internal;

import java.util.concurrent.atomic.LongAdder;

/** The per-rule series, resolved once so the data path only increments adders. */
final class RuleCounters {
  final LongAdder connections;
  final LongAdder active;
  final LongAdder refused;
  final LongAdder udpFlows;
  final LongAdder udpFlowsActive;
  final LongAdder udpDropped;
  final LongAdder bytesIn;
  final LongAdder bytesOut;

  RuleCounters(Metrics m, String rule) {
    connections = m.counter("lb_rule_connections_total", "TCP connections accepted", "rule", rule);
    active = m.gauge("lb_rule_connections_active", "TCP connections open", "rule", rule);
    refused = m.counter("lb_rule_connections_refused_total",
        "TCP connections refused (no healthy backend or every connect attempt failed)", "rule", rule);
    udpFlows = m.counter("lb_rule_udp_flows_total", "UDP flows created", "rule", rule);
    udpFlowsActive = m.gauge("lb_rule_udp_flows_active", "UDP flows in the flow table", "rule", rule);
    udpDropped = m.counter("lb_rule_udp_datagrams_dropped_total",
        "UDP datagrams dropped (no healthy backend or flow table full)", "rule", rule);
    bytesIn = m.counter("lb_rule_bytes_total", "Bytes relayed", "rule", rule, "direction", "in");
    bytesOut = m.counter("lb_rule_bytes_total", "Bytes relayed", "rule", rule, "direction", "out");
  }
}
