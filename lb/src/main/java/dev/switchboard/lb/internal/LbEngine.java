package dev.switchboard.lb.internal;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.time.Scheduler;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer's control plane: owns the model and applies every change on one control
 * thread, publishing immutable {@link RuleView}s that the event loops read.
 */
public final class LbEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LbEngine.class);

  private final Transport transport;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Scheduler scheduler;
  private final Function<ProbeConfig, HealthCheck> checks;
  private final Metrics metrics = new Metrics();
  private final ExecutorService ctl;
  private Thread ctlThread;

  // Everything below is owned by the control thread.
  private LbConfig config = LbConfig.empty();
  private final Map<String, PoolState> pools = new LinkedHashMap<>();
  private final Map<String, RuleRuntime> rules = new LinkedHashMap<>();
  private final Map<HealthKey, HealthMonitor> monitors = new HashMap<>();
  private final ViewBuilder views = new ViewBuilder(metrics, monitors);
  private final Leases leases;
  private volatile boolean closed;

  public LbEngine(Transport transport, EventLoopGroup group, boolean ownsGroup, Scheduler scheduler,
      Function<ProbeConfig, HealthCheck> checks) {
    this.transport = transport;
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.scheduler = scheduler;
    this.checks = checks;
    this.ctl = Executors.newSingleThreadExecutor(r -> {
      Thread t = new FastThreadLocalThread(r, "lb-control");
      t.setDaemon(true);
      ctlThread = t;
      return t;
    });
    this.leases = new Leases(scheduler, ctl, this::expire);
  }

  /** A production engine: detected transport, {@code threads} event loops, real probes. */
  public static LbEngine create(int threads) {
    Transport t = Transport.detect();
    EventLoopGroup g = t.newGroup(threads);
    TcpHealthCheck tcp = new TcpHealthCheck(g, t);
    HttpHealthCheck http = new HttpHealthCheck(g, t);
    return new LbEngine(t, g, true, new EventLoopScheduler(g),
        p -> p.protocol() == dev.switchboard.lb.ProbeProtocol.HTTP ? http : tcp);
  }

  public Metrics metrics() {
    return metrics;
  }

  public Transport transport() {
    return transport;
  }

  public EventLoopGroup group() {
    return group;
  }

  /** Runs {@code task} on the control thread and waits; rethrows its {@link LbException}. */
  public <T> T call(Callable<T> task) {
    if (Thread.currentThread() == ctlThread) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (Thread.currentThread() instanceof FastThreadLocalThread
        && group.iterator().hasNext() && inEventLoop()) {
      throw new IllegalStateException("load balancer control calls must not run on an event loop");
    }
    Future<T> f = ctl.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Submits {@code task} to the control thread without waiting (for event-loop callers). */
  public <T> java.util.concurrent.CompletableFuture<T> submit(Callable<T> task) {
    java.util.concurrent.CompletableFuture<T> cf = new java.util.concurrent.CompletableFuture<>();
    ctl.execute(() -> {
      try {
        cf.complete(task.call());
      } catch (Throwable e) {
        cf.completeExceptionally(e);
      }
    });
    return cf;
  }

  private boolean inEventLoop() {
    for (io.netty.util.concurrent.EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  // ---- control-thread operations ----

  /** The effective model: static config plus unleased backends added at run time. */
  public LbConfig config() {
    return config;
  }

  /** Replaces the whole model; binds new listeners first so a failure changes nothing. */
  public void apply(LbConfig next) {
    ensureOpen();
    ConfigValidator.validate(next);
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
          rr.setView(buildView(rr, r, probeOf(next, r), false));
          created.put(r.name(), rr);
        }
        bound.put(r.name(), Listener.bind(rr, ip, r.frontendPort(), r.protocol(), group, transport,
            scheduler));
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
        scheduleDrain(rr, rr.targets.values(), rr.view().rule.drain());
      }
    }
    for (Map.Entry<String, Listener> e : bound.entrySet()) {
      RuleRuntime rr = created.containsKey(e.getKey()) ? created.get(e.getKey()) : rules.get(e.getKey());
      if (rr.listener != null) {
        rr.listener.close();
      }
      rr.listener = e.getValue();
    }
    Map<String, RuleRuntime> ordered = new LinkedHashMap<>();
    for (RuleConfig r : next.rules()) {
      ordered.put(r.name(), rules.containsKey(r.name()) ? rules.get(r.name()) : created.get(r.name()));
    }
    rules.clear();
    rules.putAll(ordered);
    for (PoolState p : droppedPools) {
      p.members.values().forEach(leases::cancel);
    }
    config = withMembers(next);
    refresh();
  }

  /** Adds or updates a backend; with a lease it is removed unless renewed within the TTL. */
  public void addBackend(String pool, Backend backend, Optional<Duration> lease) {
    ensureOpen();
    PoolState p = pool(pool);
    ConfigValidator.backend(backend);
    if (lease.isPresent() && (lease.get().isNegative() || lease.get().isZero())) {
      throw new LbException(LbException.INVALID, "lease must be positive");
    }
    PoolState.Member old = p.members.get(backend.ip());
    if (old != null) {
      leases.cancel(old);
    }
    p.members.put(backend.ip(), leases.member(p.name, backend, lease));
    config = withMembers(config);
    refresh();
  }

  /** Extends a leased backend's lease by its TTL from now. */
  public void renew(String pool, String ip) {
    ensureOpen();
    leases.renew(member(pool, ip));
  }

  /** Removes a backend: no new flows at once, established ones drain for the rule's drain period. */
  public void removeBackend(String pool, String ip) {
    ensureOpen();
    leases.cancel(member(pool, ip));
    pools.get(pool).members.remove(ip);
    config = withMembers(config);
    refresh();
  }

  /** The backends of {@code pool} with their lease state. */
  public List<PoolState.Member> members(String pool) {
    return new ArrayList<>(pool(pool).members.values());
  }

  public Optional<Duration> leaseRemaining(PoolState.Member m) {
    return leases.remaining(m);
  }

  /** Every (rule, backend) pair with its probe state, plus draining backends. */
  public List<BackendHealth> health() {
    List<BackendHealth> out = new ArrayList<>();
    for (RuleRuntime rr : rules.values()) {
      RuleView v = rr.view();
      for (RuleBackend b : rr.targets.values()) {
        PoolState.Member m = pools.get(b.pool).members.get(b.ip);
        // The state the data path acts on, so "down" here means no new flows already.
        out.add(new BackendHealth(rr.name, b.pool, b.ip, b.name, b.address.getPort(), v.wasUp(b),
            false, m == null ? Optional.empty() : leaseRemaining(m), b.relays.size(),
            m == null ? 0 : m.backend.priority()));
      }
      for (RuleBackend b : rr.draining.keySet()) {
        out.add(new BackendHealth(rr.name, b.pool, b.ip, b.name, b.address.getPort(),
            views.isUp(b), true, Optional.empty(), b.relays.size(), 0));
      }
    }
    return out;
  }

  /** The IPs that may receive new flows of {@code rule} (under {@code priority}, every level). */
  public List<String> eligible(String rule) {
    return rule(rule).view().eligible.stream().map(b -> b.ip).toList();
  }

  /** How many members the pool of {@code rule} has, whatever their state. */
  public int backendCount(String rule) {
    return rule(rule).targets.size();
  }

  /** The bound frontend port of a rule for a protocol it serves. */
  public int port(String rule, Protocol protocol) {
    return rule(rule).listener.port;
  }

  public InetSocketAddress frontendAddress(String rule) {
    RuleRuntime rr = rule(rule);
    return new InetSocketAddress(Addresses.parse(rr.listener.ip), rr.listener.port);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      call(() -> {
        closed = true;
        monitors.values().forEach(HealthMonitor::stop);
        monitors.clear();
        for (PoolState p : pools.values()) {
          p.members.values().forEach(leases::cancel);
        }
        for (RuleRuntime rr : rules.values()) {
          rr.listener.close();
          for (RuleBackend b : rr.targets.values()) {
            b.relays.forEach(Relay::close);
          }
          for (RuleBackend b : rr.draining.keySet()) {
            b.relays.forEach(Relay::close);
          }
        }
        rules.clear();
        return null;
      });
    } finally {
      ctl.shutdown();
      if (ownsGroup) {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  // ---- internals (control thread) ----

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("load balancer is closed");
    }
  }

  private RuleRuntime rule(String name) {
    RuleRuntime rr = rules.get(name);
    if (rr == null) {
      throw new LbException(LbException.NOT_FOUND, "no rule '" + name + "'");
    }
    return rr;
  }

  private PoolState pool(String name) {
    PoolState p = pools.get(name);
    if (p == null) {
      throw new LbException(LbException.NOT_FOUND, "no pool '" + name + "'");
    }
    return p;
  }

  private PoolState.Member member(String pool, String ip) {
    PoolState.Member m = pool(pool).members.get(ip);
    if (m == null) {
      throw new LbException(LbException.NOT_FOUND, "pool '" + pool + "' has no backend " + ip);
    }
    return m;
  }

  /** Makes pools match {@code next}; leased members survive, unleased ones follow the config. */
  private List<PoolState> updatePools(LbConfig next) {
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
      PoolState p = pools.get(pc.name());
      List<Backend> bs = new ArrayList<>();
      if (p != null) {
        p.members.values().stream().filter(m -> !m.leased()).forEach(m -> bs.add(m.backend));
      }
      ps.add(new PoolConfig(pc.name(), bs));
    }
    return new LbConfig(c.adminAddress(), c.adminPort(), c.frontends(), ps, c.probes(), c.rules());
  }

  private static ProbeConfig probeOf(LbConfig c, RuleConfig r) {
    if (r.probe() == null) {
      return null;
    }
    return c.probes().stream().filter(p -> p.name().equals(r.probe())).findFirst().orElse(null);
  }

  private void expire(String pool, PoolState.Member m) {
    PoolState p = pools.get(pool);
    if (closed || p == null || p.members.get(m.backend.ip()) != m) {
      return;
    }
    log.info("lease of backend {} in pool {} expired", m.backend.ip(), pool);
    p.members.remove(m.backend.ip());
    refresh();
  }

  /** Reconciles monitors with the model and republishes every rule's view. */
  private void refresh() {
    Map<HealthKey, ProbeConfig> wanted = new HashMap<>();
    for (RuleRuntime rr : rules.values()) {
      RuleConfig r = rr.view().rule;
      RuleConfig current = config.rules().stream().filter(x -> x.name().equals(rr.name)).findFirst()
          .orElse(r);
      ProbeConfig probe = probeOf(config, current);
      if (probe == null) {
        continue;
      }
      PoolState p = pools.get(current.pool());
      for (PoolState.Member m : p.members.values()) {
        wanted.put(ViewBuilder.healthKey(probe, current, m.backend.ip()), probe);
      }
    }
    for (HealthMonitor hm : new ArrayList<>(monitors.values())) {
      ProbeConfig w = wanted.get(hm.key());
      if (w == null || !w.equals(hm.probe())) {
        hm.stop();
        monitors.remove(hm.key());
      }
    }
    for (Map.Entry<HealthKey, ProbeConfig> e : wanted.entrySet()) {
      if (!monitors.containsKey(e.getKey())) {
        HealthMonitor hm = new HealthMonitor(e.getKey(), e.getValue(), checks.apply(e.getValue()),
            scheduler, metrics, (k, up) -> ctl.execute(() -> onHealthChange(k, up)));
        monitors.put(e.getKey(), hm);
        hm.start();
      }
    }
    for (RuleRuntime rr : rules.values()) {
      RuleConfig r = config.rules().stream().filter(x -> x.name().equals(rr.name)).findFirst()
          .orElseThrow();
      rr.setView(buildView(rr, r, probeOf(config, r), true));
    }
  }

  private void onHealthChange(HealthKey key, boolean up) {
    if (closed || !monitors.containsKey(key)) {
      return;
    }
    log.info("backend {} is now {}", key, up ? "up" : "down");
    refresh();
    if (!up) {
      for (RuleRuntime rr : rules.values()) {
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

  /** Builds the rule's view over its pool's current members; {@code commit} also drains removed ones. */
  private RuleView buildView(RuleRuntime rr, RuleConfig r, ProbeConfig probe, boolean commit) {
    ViewBuilder.Built built = views.build(rr.targets, r, probe, pools.get(r.pool()));
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

  private void scheduleDrain(RuleRuntime rr, java.util.Collection<RuleBackend> gone, Duration drain) {
    for (RuleBackend b : new ArrayList<>(gone)) {
      if (b.relays.isEmpty()) {
        continue;
      }
      rr.draining.put(b, scheduler.nanoTime() + drain.toNanos());
      scheduler.schedule(() -> ctl.execute(() -> {
        b.relays.forEach(Relay::close);
        rr.draining.remove(b);
      }), drain);
    }
  }
}
