package dev.switchboard.broker.internal;

import dev.switchboard.metrics.PrometheusText;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One broker's metrics in its own registry (several brokers share a JVM), every series labelled
 * {@code broker}; data points are resolved once so the hot paths only add to them.
 */
public final class BrokerMetrics {
  /** Read by the broker itself (status, drain), so kept here and exported by callback. */
  public final AtomicLong connectionsOpen = new AtomicLong();

  public final AtomicLong sessionsActive = new AtomicLong();

  public final CounterDataPoint connectionsTotal;
  public final CounterDataPoint handshakeFailures;
  public final CounterDataPoint sessionsTotal;
  public final CounterDataPoint bytesRelayed;
  public final CounterDataPoint codesIssued;
  public final CounterDataPoint joinsOk;
  public final CounterDataPoint rateLimitedJoins;
  public final CounterDataPoint redirects;
  public final CounterDataPoint adminConnectionsRefused;
  public final CounterDataPoint adminConnectionsEvicted;
  public final CounterDataPoint adminRequestTimeouts;
  public final CounterDataPoint adminUnauthorized;
  public final CounterDataPoint auditDropped;

  /** Seconds from the start of a relayed session to its end, observed once per session. */
  public final DistributionDataPoint sessionSeconds;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Labels broker;
  private final ByReason failedJoins;
  private final ByReason sessionsEnded;
  private final ByReason resumesRefused;
  public final CounterDataPoint sessionsResumed;
  private final ByReason clientsCutOff;
  private final CounterDataPoint proxyRefused;
  private final CounterDataPoint failuresReported;
  private final CounterDataPoint meshCutOff;
  private final CounterDataPoint failuresDropped;
  private final Counter failuresReceived;
  private final Map<String, BooleanSupplier> peers = new ConcurrentHashMap<>();
  private volatile LongSupplier codesOpen = () -> 0;
  private volatile LongSupplier adminConnectionsOpen = () -> 0;

  public BrokerMetrics(String brokerId) {
    broker = Labels.of("broker", brokerId);
    gauge(
        "switchboard_connections_open",
        "Client TLS connections currently open.",
        connectionsOpen::get);
    gauge("switchboard_sessions_active", "Relayed sessions in progress.", sessionsActive::get);
    gauge(
        "switchboard_codes_open",
        "Connection codes that can still be joined.",
        () -> codesOpen.getAsLong());
    GaugeWithCallback.builder()
        .name("switchboard_mesh_peer_up")
        .help("1 while the mesh link to the peer is up.")
        .constLabels(broker)
        .labelNames("peer")
        .callback(cb -> peers.forEach((id, up) -> cb.call(up.getAsBoolean() ? 1 : 0, id)))
        .register(registry);
    connectionsTotal = counter("switchboard_connections_total", "Client connections accepted.");
    handshakeFailures =
        counter(
            "switchboard_tls_handshake_failures_total",
            "TLS handshakes that failed (no or bad client certificate, timeout).");
    sessionsTotal = counter("switchboard_sessions_total", "Relayed sessions started.");
    bytesRelayed =
        counter(
            "switchboard_bytes_relayed_total",
            "Bytes relayed between controllers and targets, both directions.");
    codesIssued = counter("switchboard_codes_issued_total", "Connection codes issued.");
    joinsOk = counter("switchboard_joins_total", "Successful joins.");
    redirects = counter("switchboard_redirects_total", "Controllers redirected to another broker.");
    gauge(
        "switchboard_admin_connections_open",
        "Connections open on the admin listener.",
        () -> adminConnectionsOpen.getAsLong());
    adminConnectionsRefused =
        counter(
            "switchboard_admin_connections_refused_total",
            "Admin connections closed at once: a cap was reached and every counted connection"
                + " was busy with a request.");
    adminConnectionsEvicted =
        counter(
            "switchboard_admin_connections_evicted_total",
            "Admin connections closed to make room for a new one: at a cap, the connection"
                + " waiting longest for a complete request goes.");
    adminRequestTimeouts =
        counter(
            "switchboard_admin_request_timeouts_total",
            "Admin connections closed for not sending a complete request in time.");
    adminUnauthorized =
        counter(
            "switchboard_admin_unauthorized_total",
            "Admin requests refused with 401 (no or wrong bearer token).");
    rateLimitedJoins =
        counter(
            "switchboard_rate_limited_joins_total",
            "Joins refused because of the failed-join rate limit.");
    failedJoins =
        new ByReason(
            counterBuilder("switchboard_failed_joins_total", "Joins refused, by reason.")
                .labelNames("reason")
                .register(registry));
    sessionSeconds =
        Histogram.builder()
            .name("switchboard_session_duration_seconds")
            .help("Duration of relayed sessions, start to end.")
            .constLabels(broker)
            .classicOnly()
            .classicUpperBounds(1, 10, 60, 300, 1800, 3600, 4 * 3600, 24 * 3600)
            .withoutExemplars()
            .register(registry);
    sessionsEnded =
        new ByReason(
            counterBuilder("switchboard_sessions_ended_total", "Sessions ended, by reason.")
                .labelNames("reason")
                .register(registry));
    resumesRefused =
        new ByReason(
            counterBuilder(
                    "switchboard_resumes_refused_total", "Resumption attempts refused, by reason.")
                .labelNames("reason")
                .register(registry));
    sessionsResumed =
        counter(
            "switchboard_sessions_resumed_total",
            "Sessions resumed here after their relay broke (here or on another broker).");
    proxyRefused =
        counter(
            "switchboard_proxy_header_refused_total",
            "Connections refused at the PROXY protocol gate: a header from a peer that is not a"
                + " trusted proxy, or a trusted proxy without a valid v2 header.");
    meshCutOff =
        counter(
            "switchboard_mesh_connections_cut_off_total",
            "Inbound mesh connections closed because the peer did not read the answers.");
    failuresReported =
        counter(
            "switchboard_mesh_failures_reported_total",
            "Per-source failed-join counts sent to mesh peers (one per source and peer).");
    failuresReceived =
        counterBuilder(
                "switchboard_mesh_failures_received_total",
                "Failed joins reported by mesh peers and charged here, by source kind.")
            .labelNames("kind")
            .register(registry);
    auditDropped =
        counter(
            "switchboard_audit_records_dropped_total",
            "Session audit records not written: the writer's queue was full or a write failed.");
    failuresDropped =
        counter(
            "switchboard_mesh_failures_dropped_total",
            "Per-source failed-join counts not shared: a peer link down or not keeping up, or a"
                + " peer's report for a source beyond the tracked-source cap.");
    clientsCutOff =
        new ByReason(
            counterBuilder(
                    "switchboard_clients_cut_off_total",
                    "Client connections closed in the control phase for abuse (not_reading,"
                        + " too_many_refusals).")
                .labelNames("reason")
                .register(registry));
  }

  /** A connection was refused at the PROXY protocol gate (forged, missing or v1 header). */
  public void proxyHeaderRefused() {
    proxyRefused.inc();
  }

  /** A client connection was closed for abuse: it stopped reading, or kept asking for refusals. */
  public void clientCutOff(ErrorCode reason) {
    clientsCutOff.get(reason).inc();
  }

  /** An inbound mesh connection was closed because the peer did not read its answers. */
  public void meshPeerCutOff() {
    meshCutOff.inc();
  }

  /** {@code n} per-source counts went to a peer. */
  public void failuresReported(int n) {
    failuresReported.inc(n);
  }

  /** A peer reported {@code failures} failed joins of a source of this kind; they were charged. */
  public void failuresReceived(Message.Failures.Kind kind, int failures) {
    failuresReceived.labelValues(kind.name().toLowerCase(Locale.ROOT)).inc(failures);
  }

  /** {@code n} per-source counts could not be shared or charged. */
  public void failuresDropped(int n) {
    failuresDropped.inc(n);
  }

  public void failedJoin(ErrorCode reason) {
    failedJoins.get(reason).inc();
  }

  public void sessionEnded(ErrorCode reason) {
    sessionsEnded.get(reason).inc();
  }

  public void resumesRefused(ErrorCode reason) {
    resumesRefused.get(reason).inc();
  }

  /** Exports the number of open codes, read at scrape time. */
  public void codesOpen(LongSupplier open) {
    codesOpen = open;
  }

  /** Exports the number of open admin connections, read at scrape time. */
  public void adminConnectionsOpen(LongSupplier open) {
    adminConnectionsOpen = open;
  }

  /** Exports the state of the mesh link to {@code peerId}, read at scrape time. */
  public void peerUp(String peerId, BooleanSupplier up) {
    peers.put(peerId, up);
  }

  /** The Prometheus text (format 0.0.4) of this broker's metrics and the JVM's. */
  public String render() {
    return PrometheusText.render(registry);
  }

  public static String contentType() {
    return PrometheusText.CONTENT_TYPE;
  }

  private void gauge(String name, String help, LongSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .constLabels(broker)
        .callback(cb -> cb.call(value.getAsLong()))
        .register(registry);
  }

  private CounterDataPoint counter(String name, String help) {
    return counterBuilder(name, help).register(registry);
  }

  private Counter.Builder counterBuilder(String name, String help) {
    // Exemplars need a tracer we do not have; without them inc() is a plain LongAdder add.
    return Counter.builder().name(name).help(help).constLabels(broker).withoutExemplars();
  }

  /** The series of one counter per reason, each created on first use and then reused. */
  private static final class ByReason {
    private final Counter counter;
    private final AtomicReferenceArray<CounterDataPoint> points =
        new AtomicReferenceArray<>(ErrorCode.values().length);

    ByReason(Counter counter) {
      this.counter = counter;
    }

    CounterDataPoint get(ErrorCode reason) {
      CounterDataPoint p = points.get(reason.ordinal());
      if (p == null) {
        // labelValues returns the same point for the same labels, so a race only repeats a lookup.
        p = counter.labelValues(reason.name().toLowerCase(Locale.ROOT));
        points.set(reason.ordinal(), p);
      }
      return p;
    }
  }
}
