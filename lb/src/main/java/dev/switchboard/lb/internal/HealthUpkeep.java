package dev.switchboard.lb.internal;

import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link HealthMonitor} per probed (rule, backend), republishes rule views when the model
 * or a probe state changes, and drains removed backends; every method runs on the {@link
 * ControlThread}.
 */
final class HealthUpkeep {
  private static final Logger log = LoggerFactory.getLogger(HealthUpkeep.class);

  private final ControlThread ctl;
  private final Model model;
  private final Scheduler scheduler;
  private final Function<ProbeConfig, HealthCheck> checks;
  private final Metrics metrics;
  private final Map<HealthKey, HealthMonitor> monitorsConfined = new HashMap<>();
  private final ViewBuilder views;

  HealthUpkeep(
      ControlThread ctl,
      Model model,
      Scheduler scheduler,
      Function<ProbeConfig, HealthCheck> checks,
      Metrics metrics) {
    this.ctl = ctl;
    this.model = model;
    this.scheduler = scheduler;
    this.checks = checks;
    this.metrics = metrics;
    this.views = new ViewBuilder(metrics, monitorsConfined);
  }

  /** Every (rule, backend) pair with its probe state, plus draining backends. */
  List<BackendHealth> health(Function<PoolState.Member, Optional<Duration>> leaseRemaining) {
    ctl.check();
    List<BackendHealth> out = new ArrayList<>();
    for (RuleRuntime rr : model.rulesConfined.values()) {
      RuleView v = rr.view();
      for (RuleBackend b : rr.targets.values()) {
        PoolState.Member m = model.poolsConfined.get(b.pool).members.get(b.ip);
        // The state the data path acts on, so "down" here means no new flows already.
        out.add(
            new BackendHealth(
                rr.name,
                b.pool,
                b.ip,
                b.name,
                b.address.getPort(),
                v.wasUp(b),
                false,
                m == null ? Optional.empty() : leaseRemaining.apply(m),
                b.relays.size(),
                m == null ? 0 : m.backend.priority()));
      }
      for (RuleBackend b : rr.draining.keySet()) {
        out.add(
            new BackendHealth(
                rr.name,
                b.pool,
                b.ip,
                b.name,
                b.address.getPort(),
                views.isUp(b),
                true,
                Optional.empty(),
                b.relays.size(),
                0));
      }
    }
    return out;
  }

  /** Stops every monitor (the load balancer is closing). */
  void stopMonitors() {
    ctl.check();
    monitorsConfined.values().forEach(HealthMonitor::stop);
    monitorsConfined.clear();
  }

  /** Reconciles monitors with the model and republishes every rule's view. */
  void refresh() {
    ctl.check();
    LbConfig config = model.configConfined;
    Map<HealthKey, ProbeConfig> wanted = new HashMap<>();
    for (RuleRuntime rr : model.rulesConfined.values()) {
      RuleConfig r = rr.view().rule;
      RuleConfig current =
          config.rules().stream().filter(x -> x.name().equals(rr.name)).findFirst().orElse(r);
      ProbeConfig probe = Model.probeOf(config, current);
      if (probe == null) {
        continue;
      }
      PoolState p = model.poolsConfined.get(current.pool());
      for (PoolState.Member m : p.members.values()) {
        wanted.put(ViewBuilder.healthKey(probe, current, m.backend.ip()), probe);
      }
    }
    for (HealthMonitor hm : new ArrayList<>(monitorsConfined.values())) {
      ProbeConfig w = wanted.get(hm.key());
      if (w == null || !w.equals(hm.probe())) {
        hm.stop();
        monitorsConfined.remove(hm.key());
      }
    }
    for (Map.Entry<HealthKey, ProbeConfig> e : wanted.entrySet()) {
      if (!monitorsConfined.containsKey(e.getKey())) {
        HealthMonitor hm =
            new HealthMonitor(
                e.getKey(),
                e.getValue(),
                checks.apply(e.getValue()),
                scheduler,
                metrics,
                (k, up) -> ctl.execute(() -> onHealthChange(k, up)));
        monitorsConfined.put(e.getKey(), hm);
        hm.start();
      }
    }
    for (RuleRuntime rr : model.rulesConfined.values()) {
      RuleConfig r =
          config.rules().stream().filter(x -> x.name().equals(rr.name)).findFirst().orElseThrow();
      rr.setView(buildView(rr, r, Model.probeOf(config, r), true));
    }
  }

  private void onHealthChange(HealthKey key, boolean up) {
    ctl.check();
    if (model.closed || !monitorsConfined.containsKey(key)) {
      return;
    }
    log.info("backend {} is now {}", key, up ? "up" : "down");
    refresh();
    if (!up) {
      for (RuleRuntime rr : model.rulesConfined.values()) {
        if (!rr.view().rule.resetOnBackendDown()) {
          continue;
        }
        for (RuleBackend b : rr.targets.values()) {
          if (key.equals(b.healthKey)) {
            b.relays.forEach(Relay::reset);
          }
        }
      }
    }
  }

  /**
   * Builds the rule's view over its pool's current members; {@code commit} also drains removed
   * ones.
   */
  RuleView buildView(RuleRuntime rr, RuleConfig r, ProbeConfig probe, boolean commit) {
    ctl.check();
    ViewBuilder.Built built = views.build(rr.targets, r, probe, model.poolsConfined.get(r.pool()));
    if (commit) {
      List<RuleBackend> gone = new ArrayList<>();
      for (RuleBackend old : rr.targets.values()) {
        if (built.targets().get(old.ip) != old) {
          gone.add(old);
        }
      }
      rr.targets = built.targets();
      scheduleDrain(rr, gone, r.drain());
    }
    return built.view();
  }

  /** Closes the relays of {@code gone} once {@code drain} has passed; until then they drain. */
  void scheduleDrain(RuleRuntime rr, Collection<RuleBackend> gone, Duration drain) {
    ctl.check();
    for (RuleBackend b : new ArrayList<>(gone)) {
      if (b.relays.isEmpty()) {
        continue;
      }
      rr.draining.put(b, scheduler.nanoTime() + drain.toNanos());
      scheduler.schedule(
          () ->
              ctl.execute(
                  () -> {
                    b.relays.forEach(Relay::close);
                    rr.draining.remove(b);
                  }),
          drain);
    }
  }
}
