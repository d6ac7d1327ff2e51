package dev.switchboard.lb.internal;

import java.util.concurrent.atomic.LongAdder;

/** The per-rule, per-backend series; "in" is client to backend, "out" the reverse. */
final class BackendCounters {
  final LongAdder connections;
  final LongAdder active;
  final LongAdder connectFailures;
  final LongAdder bytesIn;
  final LongAdder bytesOut;
  final LongAdder udpFlows;
  final LongAdder datagramsIn;
  final LongAdder datagramsOut;

  BackendCounters(Metrics m, String rule, String pool, String ip) {
    String[] l = {"rule", rule, "pool", pool, "backend", ip};
    connections = m.counter("lb_backend_connections_total", "TCP connections sent to the backend", l);
    active = m.gauge("lb_backend_connections_active", "TCP connections open to the backend", l);
    connectFailures = m.counter("lb_backend_connect_failures_total",
        "TCP connects to the backend that failed or timed out", l);
    bytesIn = m.counter("lb_backend_bytes_total", "Bytes relayed",
        "rule", rule, "pool", pool, "backend", ip, "direction", "in");
    bytesOut = m.counter("lb_backend_bytes_total", "Bytes relayed",
        "rule", rule, "pool", pool, "backend", ip, "direction", "out");
    udpFlows = m.counter("lb_backend_udp_flows_total", "UDP flows sent to the backend", l);
    datagramsIn = m.counter("lb_backend_datagrams_total", "UDP datagrams relayed",
        "rule", rule, "pool", pool, "backend", ip, "direction", "in");
    datagramsOut = m.counter("lb_backend_datagrams_total", "UDP datagrams relayed",
        "rule", rule, "pool", pool, "backend", ip, "direction", "out");
  }
}
