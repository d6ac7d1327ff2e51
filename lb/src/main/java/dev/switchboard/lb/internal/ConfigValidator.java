package dev.switchboard.lb.internal;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rejects a model that cannot run: bad values, duplicate names, dangling references, clashing
 * rules.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  public static void validate(LbConfig c) {
    Map<String, FrontendConfig> frontends = new HashMap<>();
    for (FrontendConfig f : c.frontends()) {
      name("frontend", f.name());
      Addresses.parse(f.ip());
      unique(frontends.put(f.name(), f) == null, "frontend", f.name());
    }
    Set<String> pools = new HashSet<>();
    for (PoolConfig p : c.pools()) {
      name("pool", p.name());
      unique(pools.add(p.name()), "pool", p.name());
      Set<String> ips = new HashSet<>();
      for (Backend b : p.backends()) {
        backend(b);
        if (!ips.add(b.ip())) {
          throw new LbException(
              LbException.Code.DUPLICATE_NAME,
              "pool '" + p.name() + "' lists backend " + b.ip() + " twice");
        }
      }
    }
    Set<String> probes = new HashSet<>();
    for (ProbeConfig p : c.probes()) {
      name("probe", p.name());
      unique(probes.add(p.name()), "probe", p.name());
      String what = "probe '" + p.name() + "'";
      Limits.number(what, "port", p.port(), 0, 65535);
      Limits.number(what, "threshold", p.threshold(), 1, Limits.THRESHOLD_MAX);
      Limits.duration(what, "interval", p.interval(), Limits.INTERVAL_MIN, Limits.INTERVAL_MAX);
      Limits.duration(what, "timeout", p.timeout(), Limits.TIMEOUT_MIN, Limits.TIMEOUT_MAX);
      check(p.path().startsWith("/"), "probe '" + p.name() + "': path must start with /");
    }
    Set<String> rules = new HashSet<>();
    Map<String, String> listens = new HashMap<>();
    for (RuleConfig r : c.rules()) {
      name("rule", r.name());
      unique(rules.add(r.name()), "rule", r.name());
      FrontendConfig f = frontends.get(r.frontend());
      if (f == null) {
        throw new LbException(
            LbException.Code.UNKNOWN_FRONTEND,
            "rule '" + r.name() + "' names unknown frontend '" + r.frontend() + "'");
      }
      if (!pools.contains(r.pool())) {
        throw new LbException(
            LbException.Code.UNKNOWN_POOL,
            "rule '" + r.name() + "' names unknown pool '" + r.pool() + "'");
      }
      if (r.probe() != null && !probes.contains(r.probe())) {
        throw new LbException(
            LbException.Code.UNKNOWN_PROBE,
            "rule '" + r.name() + "' names unknown probe '" + r.probe() + "'");
      }
      rule(r);
      RulePeers.validate(r);
      if (r.frontendPort() != 0) {
        for (String proto : new String[] {"tcp", "udp"}) {
          if ((proto.equals("tcp") ? r.protocol().includesTcp() : r.protocol().includesUdp())) {
            String key = f.ip() + ":" + r.frontendPort() + "/" + proto;
            String other = listens.put(key, r.name());
            if (other != null) {
              throw new LbException(
                  LbException.Code.DUPLICATE_RULE,
                  "rules '" + other + "' and '" + r.name() + "' both listen on " + key);
            }
          }
        }
      }
    }
  }

  /** Rejects a rule whose numbers lie outside the bounds a config file is held to. */
  static void rule(RuleConfig r) {
    String what = "rule '" + r.name() + "'";
    Limits.number(what, "frontendPort", r.frontendPort(), 0, 65535);
    Limits.number(what, "backendPort", r.backendPort(), 1, 65535);
    Limits.duration(what, "idleTimeout", r.idleTimeout(), Limits.IDLE_MIN, Limits.IDLE_MAX);
    Limits.duration(what, "drain", r.drain(), "0s", Limits.DRAIN_MAX);
    Limits.duration(
        what, "connectTimeout", r.connectTimeout(), Limits.CONNECT_MIN, Limits.CONNECT_MAX);
    Limits.number(what, "connectAttempts", r.connectAttempts(), 1, Limits.CONNECT_ATTEMPTS_MAX);
    Limits.number(what, "maxUdpFlows", r.maxUdpFlows(), 1, Limits.UDP_FLOWS_MAX);
    Limits.number(what, "maxUdpFlowsPerSource", r.maxUdpFlowsPerSource(), 1, Limits.UDP_FLOWS_MAX);
  }

  /** Rejects a backend with a bad IP or a priority out of range. */
  public static void backend(Backend b) {
    Addresses.parse(b.ip());
    Limits.number("backend " + b.ip(), "priority", b.priority(), 0, Limits.PRIORITY_MAX);
  }

  /** Rejects a lease outside the bounds of the admin API's {@code ttl}. */
  public static void lease(Duration ttl) {
    Limits.duration("lease", "ttl", ttl, Limits.TTL_MIN, Limits.TTL_MAX);
  }

  private static void name(String kind, String name) {
    check(
        name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,79}"),
        kind + " name must be 1-80 letters, digits, '.', '_' or '-', got '" + name + "'");
  }

  private static void unique(boolean ok, String kind, String name) {
    if (!ok) {
      throw new LbException(
          LbException.Code.DUPLICATE_NAME, kind + " '" + name + "' already exists");
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new LbException(LbException.Code.INVALID, message);
    }
  }
}
