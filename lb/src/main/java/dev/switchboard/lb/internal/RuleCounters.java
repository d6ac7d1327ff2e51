package dev.switchboard.lb.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/** The per-rule series, resolved once so the data path only adds to them. */
final class RuleCounters {
  final CounterDataPoint connections;
  final GaugeDataPoint active;
  final CounterDataPoint refused;
  final CounterDataPoint udpFlows;
  final GaugeDataPoint udpFlowsActive;
  final CounterDataPoint udpDropped;
  final CounterDataPoint udpFlowsRefusedSource;
  final CounterDataPoint udpFlowsRefusedTable;
  final CounterDataPoint bytesIn;
  final CounterDataPoint bytesOut;

  /** Connections closed because a client's bytes began with a PROXY header. */
  final CounterDataPoint proxyForged;

  /** Connections from a trusted proxy closed for a missing, late, v1 or malformed header. */
  final CounterDataPoint proxyInvalid;

  RuleCounters(Metrics m, String rule) {
    connections = m.ruleConnections.labelValues(rule);
    active = m.ruleActive.labelValues(rule);
    refused = m.ruleRefused.labelValues(rule);
    udpFlows = m.ruleUdpFlows.labelValues(rule);
    udpFlowsActive = m.ruleUdpFlowsActive.labelValues(rule);
    udpDropped = m.ruleUdpDropped.labelValues(rule);
    udpFlowsRefusedSource = m.ruleUdpFlowsRefused.labelValues(rule, "source_cap");
    udpFlowsRefusedTable = m.ruleUdpFlowsRefused.labelValues(rule, "table_full");
    bytesIn = m.ruleBytes.labelValues(rule, "in");
    bytesOut = m.ruleBytes.labelValues(rule, "out");
    proxyForged = m.ruleProxyRefused.labelValues(rule, "forged");
    proxyInvalid = m.ruleProxyRefused.labelValues(rule, "invalid");
  }
}
