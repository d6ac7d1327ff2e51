package dev.switchboard.lb;

import dev.switchboard.config.BearerToken;
import dev.switchboard.lb.internal.AdminServer;
import dev.switchboard.lb.internal.AdminTokens;
import dev.switchboard.lb.internal.LbEngine;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running layer-4 load balancer: start it from an {@link LbConfig}, change it at run time, and
 * {@link #close()} it; every method is thread-safe but must not be called from its event loops.
 */
public final class LoadBalancer implements AutoCloseable {
  private final LbEngine engine;
  private final AdminServer admin;
  private final BearerToken adminToken;

  private LoadBalancer(LbEngine engine, AdminServer admin, BearerToken adminToken) {
    this.engine = engine;
    this.admin = admin;
    this.adminToken = adminToken;
  }

  /** Binds every rule and the admin API (unless its port is {@link LbConfig#ADMIN_DISABLED}). */
  public static LoadBalancer start(LbConfig config) {
    return start(config, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /** As {@link #start(LbConfig)} with {@code ioThreads} event loops. */
  public static LoadBalancer start(LbConfig config, int ioThreads) {
    // Before any thread or port: a token file others may read is refused, not served with.
    BearerToken token =
        config.adminPort() == LbConfig.ADMIN_DISABLED ? null : AdminTokens.load(config);
    LbEngine engine = LbEngine.create(ioThreads);
    AdminServer admin = null;
    try {
      engine.call(
          () -> {
            engine.apply(config);
            return null;
          });
      if (config.adminPort() != LbConfig.ADMIN_DISABLED) {
        admin =
            AdminServer.start(
                engine, config.adminAddress(), config.adminPort(), token, config.adminHosts());
      }
      return new LoadBalancer(engine, admin, token);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** Replaces the model (a config reload); established connections are kept. */
  public void apply(LbConfig config) {
    engine.call(
        () -> {
          engine.apply(config);
          return null;
        });
  }

  /** The effective model, including unleased backends added at run time. */
  public LbConfig config() {
    return engine.call(engine::config);
  }

  /**
   * Adds (or updates) {@code backend} in {@code pool}; with a lease it is removed unless {@link
   * #renew} is called within the lease.
   */
  public void addBackend(String pool, Backend backend, Optional<Duration> lease) {
    engine.call(
        () -> {
          engine.addBackend(pool, backend, lease);
          return null;
        });
  }

  /** Restarts the lease of a backend added with one; a no-op for unleased backends. */
  public void renew(String pool, String ip) {
    engine.call(
        () -> {
          engine.renew(pool, ip);
          return null;
        });
  }

  /**
   * Removes a backend: it gets no new flows; established ones drain for the rule's drain period.
   */
  public void removeBackend(String pool, String ip) {
    engine.call(
        () -> {
          engine.removeBackend(pool, ip);
          return null;
        });
  }

  /** The state of every backend as seen by every rule. */
  public List<BackendHealth> health() {
    return engine.call(engine::health);
  }

  /**
   * How many backends of {@code rule} may take new flows now: in the pool, not removed, probed up
   * (every member under {@link NoHealthyBackendsBehavior#ALL_PROBED_UP} when none is); under {@link
   * Distribution#PRIORITY} every level counts. Served as {@code GET /rules/{rule}/health}.
   */
  public int eligibleBackends(String rule) {
    return engine.call(() -> engine.eligible(rule).size());
  }

  /** The bound frontend port of {@code rule} (useful when the rule asked for port 0). */
  public int port(String rule) {
    return engine.call(() -> engine.port(rule));
  }

  /** The bound frontend address of {@code rule}. */
  public InetSocketAddress address(String rule) {
    return engine.call(() -> engine.frontendAddress(rule));
  }

  /** The bound admin API port, or -1 when the admin API is disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /**
   * The bearer token the admin API requires ({@code Authorization: Bearer ...}), from the config's
   * token file or generated in memory; null when the admin API is disabled.
   */
  public BearerToken adminToken() {
    return adminToken;
  }

  /** The Prometheus exposition text also served at {@code /metrics}. */
  public String metrics() {
    return engine.metrics().render();
  }

  /** Stops listening, closes every relayed connection and releases all threads. */
  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    engine.close();
  }
}
