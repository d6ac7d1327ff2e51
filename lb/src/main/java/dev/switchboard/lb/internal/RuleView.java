package dev.switchboard.lb.internal;

import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** An immutable snapshot of a rule the data path reads without locks: settings and eligible backends. */
final class RuleView {
  final RuleConfig rule;
  /** Null when the rule has no probe. */
  final ProbeConfig probe;
  final List<RuleBackend> eligible;
  final BackendSelector selector;
  private final Set<RuleBackend> eligibleSet;

  RuleView(RuleConfig rule, ProbeConfig probe, List<RuleBackend> eligible) {
    this.rule = rule;
    this.probe = probe;
    this.eligible = List.copyOf(eligible);
    this.selector = new MaglevSelector(eligible);
    Set<RuleBackend> s = Collections.newSetFromMap(new IdentityHashMap<>());
    s.addAll(eligible);
    this.eligibleSet = s;
  }

  /** True if new flows may go to {@code b}: established UDP flows move off backends that are not. */
  boolean isEligible(RuleBackend b) {
    return eligibleSet.contains(b);
  }
}
