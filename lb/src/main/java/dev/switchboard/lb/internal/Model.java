package dev.switchboard.lb.internal;

import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load balancer's model (effective config, pools, rules) and its look-ups; the fields named
 * {@code ...Confined} are read and written only on the {@link ControlThread}.
 */
final class Model {
  final ControlThread ctl;
  LbConfig configConfined = LbConfig.empty();
  final Map<String, PoolState> poolsConfined = new LinkedHashMap<>();
  final Map<String, RuleRuntime> rulesConfined = new LinkedHashMap<>();
  // Set on the control thread, read by close() on any thread.
  volatile boolean closed;

  Model(ControlThread ctl) {
    this.ctl = ctl;
  }

  /** The effective model: static config plus unleased backends added at run time. */
  LbConfig config() {
    ctl.check();
    return configConfined;
  }

  /** The backends of {@code pool} with their lease state. */
  List<PoolState.Member> members(String pool) {
    return new ArrayList<>(pool(pool).members.values());
  }

  /** The IPs that may receive new flows of {@code rule} (under {@code priority}, every level). */
  List<String> eligible(String rule) {
    return rule(rule).view().eligible.stream().map(b -> b.ip).toList();
  }

  /** How many members the pool of {@code rule} has, whatever their state. */
  int backendCount(String rule) {
    return rule(rule).targets.size();
  }

  /**
   * The bound frontend port of {@code rule} for {@code protocol}: TCP and UDP are served by a rule
   * of that protocol or of {@code all}, {@code all} only by an {@code all} rule; anything else is
   * NOT_FOUND (a rule has no port for a protocol it does not listen on).
   */
  int port(String rule, Protocol protocol) {
    Listener l = rule(rule).listener;
    boolean serves =
        l.protocol == protocol
            || (protocol == Protocol.TCP && l.protocol.includesTcp())
            || (protocol == Protocol.UDP && l.protocol.includesUdp());
    if (!serves) {
      throw new LbException(
          LbException.Code.NOT_FOUND,
          "rule '"
              + rule
              + "' listens on "
              + l.protocol.wireName()
              + ", not "
              + protocol.wireName());
    }
    return l.port;
  }

  /** The bound frontend port of {@code rule}, for whatever protocol it listens on. */
  int port(String rule) {
    return rule(rule).listener.port;
  }

  InetSocketAddress frontendAddress(String rule) {
    RuleRuntime rr = rule(rule);
    return new InetSocketAddress(Addresses.parse(rr.listener.ip), rr.listener.port);
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("load balancer is closed");
    }
  }

  RuleRuntime rule(String name) {
    ctl.check();
    RuleRuntime rr = rulesConfined.get(name);
    if (rr == null) {
      throw new LbException(LbException.Code.NOT_FOUND, "no rule '" + name + "'");
    }
    return rr;
  }

  PoolState pool(String name) {
    ctl.check();
    PoolState p = poolsConfined.get(name);
    if (p == null) {
      throw new LbException(LbException.Code.NOT_FOUND, "no pool '" + name + "'");
    }
    return p;
  }

  PoolState.Member member(String pool, String ip) {
    PoolState.Member m = pool(pool).members.get(ip);
    if (m == null) {
      throw new LbException(LbException.Code.NOT_FOUND, "pool '" + pool + "' has no backend " + ip);
    }
    return m;
  }

  static ProbeConfig probeOf(LbConfig c, RuleConfig r) {
    if (r.probe() == null) {
      return null;
    }
    return c.probes().stream().filter(p -> p.name().equals(r.probe())).findFirst().orElse(null);
  }
}
