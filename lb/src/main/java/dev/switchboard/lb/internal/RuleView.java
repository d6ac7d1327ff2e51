package dev.switchboard.lb.internal;

import dev.switchboard.lb.Distribution;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
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
