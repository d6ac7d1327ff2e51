package dev.switchboard.lb.internal;

import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.time.Scheduler;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

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
  private final LongAdder upResults;
  private final LongAdder downResults;
  private final LongAdder changes;
  private final LongAdder upGauge;
  private volatile boolean stopped;
  private Scheduler.Cancellable next;

  public HealthMonitor(HealthKey key, ProbeConfig probe, HealthCheck check, Scheduler scheduler,
      Metrics metrics, Listener listener) {
    this.key = key;
    this.probe = probe;
    this.target = new InetSocketAddress(Addresses.parse(key.ip()), key.port());
    this.check = check;
    this.scheduler = scheduler;
    this.listener = listener;
    this.state = new HealthState(probe.threshold());
    String[] l = {"probe", key.probe(), "backend", key.ip(), "port", Integer.toString(key.port())};
    upResults = metrics.counter("lb_probe_results_total", "Probe results",
        "probe", key.probe(), "backend", key.ip(), "port", Integer.toString(key.port()), "result", "up");
    downResults = metrics.counter("lb_probe_results_total", "Probe results",
        "probe", key.probe(), "backend", key.ip(), "port", Integer.toString(key.port()), "result", "down");
    changes = metrics.counter("lb_backend_state_changes_total", "Probe state changes (up/down)", l);
    upGauge = metrics.gauge("lb_backend_up", "1 if the probe considers the backend up", l);
    synchronized (upGauge) {
      upGauge.reset();
      upGauge.add(1);
    }
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
    next = scheduler.schedule(this::tick, java.time.Duration.ZERO);
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
    check.check(target, probe).whenComplete((ok, err) -> onResult(err == null && Boolean.TRUE.equals(ok)));
  }

  private void onResult(boolean ok) {
    if (stopped) {
      return;
    }
    (ok ? upResults : downResults).increment();
    if (state.record(ok)) {
      changes.increment();
      synchronized (upGauge) {
        upGauge.reset();
        upGauge.add(ok ? 1 : 0);
      }
      listener.onStateChange(key, ok);
    }
  }
}
