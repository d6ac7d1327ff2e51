package dev.switchboard.lb.internal;

import dev.switchboard.lb.NoHealthyBackendsBehavior;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a rule's {@link RuleView} from its pool's members and their probe states (control thread).
 */
final class ViewBuilder {
  private final Metrics metrics;

  /** HealthUpkeep's live monitors (control thread), read only here. */
  private final Map<HealthKey, HealthMonitor> monitors;

  ViewBuilder(Metrics metrics, Map<HealthKey, HealthMonitor> monitors) {
    this.metrics = metrics;
    this.monitors = monitors;
  }

  /** A new view and the rule's targets by IP it was built over. */
  record Built(RuleView view, Map<String, RuleBackend> targets) {}

  /** Reuses the targets in {@code current} whose name, address and probe did not change. */
  Built build(Map<String, RuleBackend> current, RuleConfig r, ProbeConfig probe, PoolState pool) {
    Map<String, RuleBackend> targets = new LinkedHashMap<>();
    // Priority is not part of a target's identity: re-ranking a backend must not drain it.
    Map<RuleBackend, Integer> priority = new IdentityHashMap<>();
    List<RuleBackend> all = new ArrayList<>();
    List<RuleBackend> up = new ArrayList<>();
    for (PoolState.Member m : pool.members.values()) {
      String ip = m.backend.ip();
      InetSocketAddress addr = new InetSocketAddress(Addresses.parse(ip), r.backendPort());
      HealthKey key = probe == null ? null : healthKey(probe, r, ip);
      RuleBackend b = current.get(ip);
      if (b == null || !b.sameAs(m.backend.name(), addr, key)) {
        b =
            new RuleBackend(
                r.pool(),
                ip,
                m.backend.name(),
                addr,
                key,
                new BackendCounters(metrics, r.name(), r.pool(), ip));
      }
      targets.put(ip, b);
      priority.put(b, m.backend.priority());
      all.add(b);
      if (isUp(b)) {
        up.add(b);
      }
    }
    boolean allUp =
        probe != null
            && up.isEmpty()
            && probe.noHealthyBackendsBehavior() == NoHealthyBackendsBehavior.ALL_PROBED_UP;
    return new Built(new RuleView(r, probe, allUp ? all : up, up, priority::get), targets);
  }

  /** The monitor key of {@code ip} under {@code probe} for rule {@code r}. */
  static HealthKey healthKey(ProbeConfig probe, RuleConfig r, String ip) {
    return new HealthKey(probe.name(), ip, probe.port() != 0 ? probe.port() : r.backendPort());
  }

  /** The probe state of {@code b}; always up without a probe. */
  boolean isUp(RuleBackend b) {
    if (b.healthKey == null) {
      return true;
    }
    HealthMonitor hm = monitors.get(b.healthKey);
    // A backend is up until its probe says otherwise (see HealthState).
    return hm == null || hm.isUp();
  }
}
