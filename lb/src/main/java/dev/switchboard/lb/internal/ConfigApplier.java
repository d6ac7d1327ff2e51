package dev.switchboard.lb.internal;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.time.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changes to the {@link Model}: whole-config reloads, backends added, renewed, removed or
 * expired; every method runs on the {@link ControlThread}.
 */
final class ConfigApplier {
  private static final Logger log = LoggerFactory.getLogger(ConfigApplier.class);

  private final ControlThread ctl;
  private final Model model;
  private final HealthUpkeep upkeep;
  private final Transport transport;
  private final EventLoopGroup group;
  private final Scheduler scheduler;
  private final Metrics metrics;
  private final Leases leases;

  ConfigApplier(
      ControlThread ctl,
      Model model,
      HealthUpkeep upkeep,
      Transport transport,
      EventLoopGroup group,
      Scheduler scheduler,
      Metrics metrics) {
    this.ctl = ctl;
    this.model = model;
    this.upkeep = upkeep;
    this.transport = transport;
    this.group = group;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.leases = new Leases(scheduler, ctl, this::expire);
  }

  /** Replaces the whole model; binds new listeners first so a failure changes nothing. */
  void apply(LbConfig next) {
    ctl.check();
    model.ensureOpen();
    Map<String, PoolState> pools = model.poolsConfined;
    Map<String, RuleRuntime> rules = model.rulesConfined;
    ConfigValidator.validate(next);
    RulePeers.checkLocal(next);
    Map<String, PoolState> before = new LinkedHashMap<>();
    pools.forEach((k, v) -> before.put(k, v.copy()));
    List<PoolState> droppedPools = updatePools(next);
    Map<String, FrontendConfig> fe = new HashMap<>();
    next.frontends().forEach(f -> fe.put(f.name(), f));
    Map<String, Listener> bound = new LinkedHashMap<>();
    Map<String, RuleRuntime> created = new LinkedHashMap<>();
    try {
      for (RuleConfig r : next.rules()) {
        String ip = fe.get(r.frontend()).ip();
        RuleRuntime rr = rules.get(r.name());
        if (rr != null && rr.listener.serves(ip, r.frontendPort(), r.protocol())) {
          continue;
        }
        if (rr == null) {
          rr = new RuleRuntime(r.name(), new RuleCounters(metrics, r.name()), null);
          rr.setView(upkeep.buildView(rr, r, Model.probeOf(next, r), false));
          created.put(r.name(), rr);
        }
        bound.put(
            r.name(),
            Listener.bind(rr, ip, r.frontendPort(), r.protocol(), group, transport, scheduler));
      }
    } catch (RuntimeException e) {
      bound.values().forEach(Listener::close);
      pools.clear();
      pools.putAll(before);
      throw e;
    }
    Set<String> keep = new HashSet<>();
    next.rules().forEach(r -> keep.add(r.name()));
    for (RuleRuntime rr : new ArrayList<>(rules.values())) {
      if (!keep.contains(rr.name)) {
        rr.listener.close();
        rules.remove(rr.name);
        upkeep.scheduleDrain(rr, rr.targets.values(), rr.view().rule.drain());
      }
    }
    for (Map.Entry<String, Listener> e : bound.entrySet()) {
      RuleRuntime rr =
          created.containsKey(e.getKey()) ? created.get(e.getKey()) : rules.get(e.getKey());
      if (rr.listener != null) {
        rr.listener.close();
      }
      rr.listener = e.getValue();
    }
    Map<String, RuleRuntime> ordered = new LinkedHashMap<>();
    for (RuleConfig r : next.rules()) {
      ordered.put(
          r.name(), rules.containsKey(r.name()) ? rules.get(r.name()) : created.get(r.name()));
    }
    rules.clear();
    rules.putAll(ordered);
    for (PoolState p : droppedPools) {
      p.members.values().forEach(leases::cancel);
    }
    model.configConfined = withMembers(next);
    upkeep.refresh();
  }

  /** Adds or updates a backend; with a lease it is removed unless renewed within the TTL. */
  void addBackend(String pool, Backend backend, Optional<Duration> lease) {
    ctl.check();
    model.ensureOpen();
    PoolState p = model.pool(pool);
    ConfigValidator.backend(backend);
    lease.ifPresent(ConfigValidator::lease);
    PoolState.Member old = p.members.get(backend.ip());
    if (old != null) {
      leases.cancel(old);
    }
    p.members.put(backend.ip(), leases.member(p.name, backend, lease));
    model.configConfined = withMembers(model.configConfined);
    upkeep.refresh();
  }

  /** Extends a leased backend's lease by its TTL from now. */
  void renew(String pool, String ip) {
    ctl.check();
    model.ensureOpen();
    leases.renew(model.member(pool, ip));
  }

  /**
   * Removes a backend: no new flows at once, established ones drain for the rule's drain period.
   */
  void removeBackend(String pool, String ip) {
    ctl.check();
    model.ensureOpen();
    leases.cancel(model.member(pool, ip));
    model.poolsConfined.get(pool).members.remove(ip);
    model.configConfined = withMembers(model.configConfined);
    upkeep.refresh();
  }

  Optional<Duration> leaseRemaining(PoolState.Member m) {
    ctl.check();
    return leases.remaining(m);
  }

  /** Cancels every lease and closes every listener and relay (the load balancer is closing). */
  void closeAll() {
    ctl.check();
    for (PoolState p : model.poolsConfined.values()) {
      p.members.values().forEach(leases::cancel);
    }
    for (RuleRuntime rr : model.rulesConfined.values()) {
      rr.listener.close();
      for (RuleBackend b : rr.targets.values()) {
        b.relays.forEach(Relay::close);
      }
      for (RuleBackend b : rr.draining.keySet()) {
        b.relays.forEach(Relay::close);
      }
    }
    model.rulesConfined.clear();
  }

  /** Makes pools match {@code next}; leased members survive, unleased ones follow the config. */
  private List<PoolState> updatePools(LbConfig next) {
    Map<String, PoolState> pools = model.poolsConfined;
    Set<String> names = new HashSet<>();
    for (PoolConfig pc : next.pools()) {
      names.add(pc.name());
      PoolState p = pools.computeIfAbsent(pc.name(), PoolState::new);
      Set<String> wanted = new HashSet<>();
      for (Backend b : pc.backends()) {
        wanted.add(b.ip());
        PoolState.Member old = p.members.get(b.ip());
        if (old == null || old.leased() || !old.backend.equals(b)) {
          p.members.put(b.ip(), new PoolState.Member(b, null, Long.MAX_VALUE));
        }
      }
      p.members.entrySet().removeIf(e -> !e.getValue().leased() && !wanted.contains(e.getKey()));
    }
    List<PoolState> dropped = new ArrayList<>();
    for (PoolState p : new ArrayList<>(pools.values())) {
      if (!names.contains(p.name)) {
        dropped.add(pools.remove(p.name));
      }
    }
    return dropped;
  }

  private LbConfig withMembers(LbConfig c) {
    List<PoolConfig> ps = new ArrayList<>();
    for (PoolConfig pc : c.pools()) {
      PoolState p = model.poolsConfined.get(pc.name());
      List<Backend> bs = new ArrayList<>();
      if (p != null) {
        p.members.values().stream().filter(m -> !m.leased()).forEach(m -> bs.add(m.backend));
      }
      ps.add(new PoolConfig(pc.name(), bs));
    }
    return new LbConfig(
        c.adminAddress(),
        c.adminPort(),
        c.adminTokenFile(),
        c.adminHosts(),
        c.frontends(),
        ps,
        c.probes(),
        c.rules());
  }

  private void expire(String pool, PoolState.Member m) {
    ctl.check();
    PoolState p = model.poolsConfined.get(pool);
    if (model.closed || p == null || p.members.get(m.backend.ip()) != m) {
      return;
    }
    log.info("lease of backend {} in pool {} expired", m.backend.ip(), pool);
    p.members.remove(m.backend.ip());
    upkeep.refresh();
  }
}
