package dev.switchboard.lb.internal;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.ProbeProtocol;
import dev.switchboard.lb.Protocol;
import dev.switchboard.time.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The load balancer's control plane: owns the model and applies every change on one {@link
 * ControlThread}, publishing immutable {@link RuleView}s that the event loops read. Wires {@link
 * ConfigApplier} (changes), {@link HealthUpkeep} (probes, views, drains) and the {@link Model}; the
 * methods under "control-thread operations" throw unless called on that thread, through {@link
 * #call} or {@link #submit}.
 */
public final class LbEngine implements AutoCloseable {
  private final Transport transport;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Metrics metrics = new Metrics();
  private final ControlThread ctl;
  private final Model model;
  private final HealthUpkeep upkeep;
  private final ConfigApplier applier;

  public LbEngine(
      Transport transport,
      EventLoopGroup group,
      boolean ownsGroup,
      Scheduler scheduler,
      Function<ProbeConfig, HealthCheck> checks) {
    this.transport = transport;
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.ctl = new ControlThread(group);
    this.model = new Model(ctl);
    this.upkeep = new HealthUpkeep(ctl, model, scheduler, checks, metrics);
    this.applier = new ConfigApplier(ctl, model, upkeep, transport, group, scheduler, metrics);
  }

  /** A production engine: detected transport, {@code threads} event loops, real probes. */
  public static LbEngine create(int threads) {
    Transport t = Transport.detect();
    EventLoopGroup g = t.newGroup(threads);
    TcpHealthCheck tcp = new TcpHealthCheck(g, t);
    HttpHealthCheck http = new HttpHealthCheck(g, t);
    return new LbEngine(
        t, g, true, Scheduler.using(g), p -> p.protocol() == ProbeProtocol.HTTP ? http : tcp);
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
    return ctl.call(task);
  }

  /** Submits {@code task} to the control thread without waiting (for event-loop callers). */
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    return ctl.submit(task);
  }

  // ---- control-thread operations ----

  /** The effective model: static config plus unleased backends added at run time. */
  public LbConfig config() {
    return model.config();
  }

  /** Replaces the whole model; binds new listeners first so a failure changes nothing. */
  public void apply(LbConfig next) {
    applier.apply(next);
  }

  /** Adds or updates a backend; with a lease it is removed unless renewed within the TTL. */
  public void addBackend(String pool, Backend backend, Optional<Duration> lease) {
    applier.addBackend(pool, backend, lease);
  }

  /** Extends a leased backend's lease by its TTL from now. */
  public void renew(String pool, String ip) {
    applier.renew(pool, ip);
  }

  /**
   * Removes a backend: no new flows at once, established ones drain for the rule's drain period.
   */
  public void removeBackend(String pool, String ip) {
    applier.removeBackend(pool, ip);
  }

  /** The backends of {@code pool} with their lease state. */
  public List<PoolState.Member> members(String pool) {
    return model.members(pool);
  }

  public Optional<Duration> leaseRemaining(PoolState.Member m) {
    return applier.leaseRemaining(m);
  }

  /** Every (rule, backend) pair with its probe state, plus draining backends. */
  public List<BackendHealth> health() {
    return upkeep.health(applier::leaseRemaining);
  }

  /** The IPs that may receive new flows of {@code rule} (under {@code priority}, every level). */
  public List<String> eligible(String rule) {
    return model.eligible(rule);
  }

  /** How many members the pool of {@code rule} has, whatever their state. */
  public int backendCount(String rule) {
    return model.backendCount(rule);
  }

  /**
   * The bound frontend port of {@code rule} for {@code protocol}; a protocol the rule does not
   * listen on ({@code tcp} of a {@code udp} rule, {@code all} of a single-protocol rule) throws
   * {@link LbException.Code#NOT_FOUND}.
   */
  public int port(String rule, Protocol protocol) {
    return model.port(rule, protocol);
  }

  /** The bound frontend port of {@code rule}, whatever protocol it listens on. */
  public int port(String rule) {
    return model.port(rule);
  }

  public InetSocketAddress frontendAddress(String rule) {
    return model.frontendAddress(rule);
  }

  @Override
  public void close() {
    if (model.closed) {
      return;
    }
    try {
      call(
          () -> {
            model.closed = true;
            upkeep.stopMonitors();
            applier.closeAll();
            return null;
          });
    } finally {
      ctl.shutdown();
      if (ownsGroup) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }
}
