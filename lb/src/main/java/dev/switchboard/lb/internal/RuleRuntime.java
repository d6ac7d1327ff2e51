package dev.switchboard.lb.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The live state of one rule: counters, its current {@link RuleView}, its listener and its
 * per-backend targets; fields other than the view belong to the control thread.
 */
final class RuleRuntime {
  final String name;
  final RuleCounters counters;
  final SourceFlows sourceFlows = new SourceFlows();
  private volatile RuleView view;
  Listener listener;

  /** Current pool members as targets of this rule, by IP. */
  Map<String, RuleBackend> targets = new HashMap<>();

  /** Targets removed from the pool whose connections are draining. */
  final Map<RuleBackend, Long> draining = new HashMap<>();

  RuleRuntime(String name, RuleCounters counters, RuleView initial) {
    this.name = name;
    this.counters = counters;
    this.view = initial;
  }

  RuleView view() {
    return view;
  }

  void setView(RuleView v) {
    view = v;
  }
}
