package dev.switchboard.broker.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The broker's counters and gauges, rendered in Prometheus text format for {@code /metrics}. */
public final class BrokerMetrics {
  public final AtomicLong connectionsOpen = new AtomicLong();
  public final LongAdder connectionsTotal = new LongAdder();
  public final LongAdder handshakeFailures = new LongAdder();
  public final AtomicLong sessionsActive = new AtomicLong();
  public final LongAdder sessionsTotal = new LongAdder();
  public final LongAdder bytesRelayed = new LongAdder();
  public final LongAdder codesIssued = new LongAdder();
  public final LongAdder joinsOk = new LongAdder();
  public final LongAdder rateLimitedJoins = new LongAdder();
  public final LongAdder redirects = new LongAdder();
  private final Map<String, LongAdder> failedJoins = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sessionsEnded = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  public void failedJoin(String reason) {
    failedJoins.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  public void sessionEnded(String reason) {
    sessionsEnded.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  /** Registers a gauge whose value is read at scrape time; {@code name} may carry labels. */
  public void gauge(String name, LongSupplier value) {
    gauges.put(name, value);
  }

  public long failedJoinsTotal() {
    return failedJoins.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public String render(String brokerId) {
    StringBuilder sb = new StringBuilder(2048);
    String l = "{broker=\"" + brokerId + "\"}";
    metric(sb, "switchboard_connections_open", "gauge", "Client TLS connections currently open.", l, connectionsOpen.get());
    metric(sb, "switchboard_connections_total", "counter", "Client connections accepted.", l, connectionsTotal.sum());
    metric(sb, "switchboard_tls_handshake_failures_total", "counter", "TLS handshakes that failed (no or bad client certificate, timeout).", l, handshakeFailures.sum());
    metric(sb, "switchboard_sessions_active", "gauge", "Relayed sessions in progress.", l, sessionsActive.get());
    metric(sb, "switchboard_sessions_total", "counter", "Relayed sessions started.", l, sessionsTotal.sum());
    metric(sb, "switchboard_bytes_relayed_total", "counter", "Bytes relayed between controllers and targets, both directions.", l, bytesRelayed.sum());
    metric(sb, "switchboard_codes_issued_total", "counter", "Connection codes issued.", l, codesIssued.sum());
    metric(sb, "switchboard_joins_total", "counter", "Successful joins.", l, joinsOk.sum());
    metric(sb, "switchboard_redirects_total", "counter", "Controllers redirected to another broker.", l, redirects.sum());
    metric(sb, "switchboard_rate_limited_joins_total", "counter", "Joins refused because of the failed-join rate limit.", l, rateLimitedJoins.sum());
    header(sb, "switchboard_failed_joins_total", "counter", "Joins refused, by reason.");
    sb.append("switchboard_failed_joins_total").append(l).append(' ').append(failedJoinsTotal()).append('\n');
    failedJoins.forEach((reason, v) -> sb.append("switchboard_failed_joins_total{broker=\"").append(brokerId)
        .append("\",reason=\"").append(reason).append("\"} ").append(v.sum()).append('\n'));
    header(sb, "switchboard_sessions_ended_total", "counter", "Sessions ended, by reason.");
    sessionsEnded.forEach((reason, v) -> sb.append("switchboard_sessions_ended_total{broker=\"").append(brokerId)
        .append("\",reason=\"").append(reason).append("\"} ").append(v.sum()).append('\n'));
    gauges.forEach((name, v) -> sb.append(name).append(' ').append(v.getAsLong()).append('\n'));
    return sb.toString();
  }

  private static void metric(StringBuilder sb, String name, String type, String help, String labels, long v) {
    header(sb, name, type, help);
    sb.append(name).append(labels).append(' ').append(v).append('\n');
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }
}
