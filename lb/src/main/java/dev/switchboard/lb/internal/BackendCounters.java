package dev.switchboard.lb.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/** The per-rule, per-backend series; "in" is client to backend, "out" the reverse. */
final class BackendCounters {
  final CounterDataPoint connections;
  final GaugeDataPoint active;
  final CounterDataPoint connectFailures;
  final CounterDataPoint bytesIn;
  final CounterDataPoint bytesOut;
  final CounterDataPoint udpFlows;
  final CounterDataPoint datagramsIn;
  final CounterDataPoint datagramsOut;

  BackendCounters(Metrics m, String rule, String pool, String ip) {
    connections = m.backendConnections.labelValues(rule, pool, ip);
    active = m.backendActive.labelValues(rule, pool, ip);
    connectFailures = m.backendConnectFailures.labelValues(rule, pool, ip);
    bytesIn = m.backendBytes.labelValues(rule, pool, ip, "in");
    bytesOut = m.backendBytes.labelValues(rule, pool, ip, "out");
    udpFlows = m.backendUdpFlows.labelValues(rule, pool, ip);
    datagramsIn = m.backendDatagrams.labelValues(rule, pool, ip, "in");
    datagramsOut = m.backendDatagrams.labelValues(rule, pool, ip, "out");
  }
}
