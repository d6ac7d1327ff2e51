package dev.switchboard.lb.internal;

import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.time.Scheduler;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Probes one {@link HealthKey} every {@code interval} (the first probe at once) and reports state
 * changes; results arrive on any thread.
 */
public final class HealthMonitor {
  /** Told when a monitored backend flips between up and down. */
  public interface Listener {
    void onStateChange(HealthKey key, boolean up);
  }

  private final HealthKey key;
  private final ProbeConfig probe;
  private final InetSocketAddress target;
  private final HealthCheck check;
  private final Scheduler scheduler;
  private final Listener listener;
  private final HealthState state;
  private final CounterDataPoint upResults;
  private final CounterDataPoint downResults;
  private final CounterDataPoint changes;
  private final GaugeDataPoint upGauge;
  private volatile boolean stopped;
  private Scheduler.Cancellable next;

  public HealthMonitor(
      HealthKey key,
      ProbeConfig probe,
      HealthCheck check,
      Scheduler scheduler,
      Metrics metrics,
      Listener listener) {
    this.key = key;
    this.probe = probe;
    this.target = new InetSocketAddress(Addresses.parse(key.ip()), key.port());
    this.check = check;
    this.scheduler = scheduler;
    this.listener = listener;
    this.state = new HealthState(probe.threshold());
    String port = Integer.toString(key.port());
    upResults = metrics.probeResults.labelValues(key.probe(), key.ip(), port, "up");
    downResults = metrics.probeResults.labelValues(key.probe(), key.ip(), port, "down");
    changes = metrics.probeStateChanges.labelValues(key.probe(), key.ip(), port);
    upGauge = metrics.probeUp.labelValues(key.probe(), key.ip(), port);
    upGauge.set(1);
  }

  public HealthKey key() {
    return key;
  }

  public ProbeConfig probe() {
    return probe;
  }

  public boolean isUp() {
    return state.isUp();
  }

  public synchronized void start() {
    next = scheduler.schedule(this::tick, Duration.ZERO);
  }

  public synchronized void stop() {
    stopped = true;
    if (next != null) {
      next.cancel();
    }
  }

  private void tick() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      next = scheduler.schedule(this::tick, probe.interval());
    }
    check
        .check(target, probe)
        .whenComplete((ok, err) -> onResult(err == null && Boolean.TRUE.equals(ok)));
  }

  private void onResult(boolean ok) {
    if (stopped) {
      return;
    }
    (ok ? upResults : downResults).inc();
    if (state.record(ok)) {
      changes.inc();
      upGauge.set(ok ? 1 : 0);
      listener.onStateChange(key, ok);
    }
  }
}
