package dev.switchboard.lb.internal;

import dev.switchboard.config.Cidr;
import dev.switchboard.lb.Distribution;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * An immutable snapshot of a rule the data path reads without locks: settings and eligible
 * backends.
 */
final class RuleView {
  final RuleConfig rule;

  /** Null when the rule has no probe. */
  final ProbeConfig probe;

  final List<RuleBackend> eligible;
  final BackendSelector selector;

  /** The local address backend connections come from (port 0); null lets the system choose. */
  final InetSocketAddress source;

  private final Set<RuleBackend> eligibleSet;
  private final Set<RuleBackend> upSet;

  /** {@code priority} ranks the eligible backends for {@link Distribution#PRIORITY} rules. */
  RuleView(
      RuleConfig rule,
      ProbeConfig probe,
      List<RuleBackend> eligible,
      List<RuleBackend> up,
      ToIntFunction<RuleBackend> priority) {
    this.rule = rule;
    this.probe = probe;
    this.eligible = List.copyOf(eligible);
    this.source =
        rule.sourceAddress() == null
            ? null
            : new InetSocketAddress(Addresses.parse(rule.sourceAddress()), 0);
    this.selector =
        rule.distribution() == Distribution.PRIORITY
            ? new PrioritySelector(eligible, priority)
            : new MaglevSelector(eligible);
    Set<RuleBackend> s = Collections.newSetFromMap(new IdentityHashMap<>());
    s.addAll(eligible);
    this.eligibleSet = s;
    Set<RuleBackend> u = Collections.newSetFromMap(new IdentityHashMap<>());
    u.addAll(up);
    this.upSet = u;
  }

  /** True if {@code peer} is one of the rule's trusted proxies (and must send a PROXY header). */
  boolean trusts(SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress a) || a.getAddress() == null) {
      return false;
    }
    for (Cidr c : rule.trustedProxies()) {
      if (c.contains(a.getAddress())) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if a client's stream must not begin with a PROXY header: the rule reads headers (only a
   * trusted peer's, and only once) or writes its own (the backend must see exactly one).
   */
  boolean screensProxyHeaders() {
    return rule.acceptsProxyHeaders() || rule.proxyProtocol();
  }

  /** True if {@code b} was probed up when this view was built (what the data path acts on). */
  boolean wasUp(RuleBackend b) {
    return upSet.contains(b);
  }

  /**
   * True if new flows may go to {@code b}: established UDP flows move off backends that are not.
   */
  boolean isEligible(RuleBackend b) {
    return eligibleSet.contains(b);
  }
}
