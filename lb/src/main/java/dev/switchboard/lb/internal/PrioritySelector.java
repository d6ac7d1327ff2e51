package dev.switchboard.lb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Maglev hashing within the best (lowest) priority level; a level is skipped only when every one of
 * its backends is excluded, so a connect retry falls through to the next level.
 */
final class PrioritySelector implements BackendSelector {
  /** One selector per priority level, best first. */
  private final List<MaglevSelector> levels;

  PrioritySelector(List<RuleBackend> backends, ToIntFunction<RuleBackend> priority) {
    TreeMap<Integer, List<RuleBackend>> byLevel = new TreeMap<>();
    for (RuleBackend b : backends) {
      byLevel.computeIfAbsent(priority.applyAsInt(b), k -> new ArrayList<>()).add(b);
    }
    List<MaglevSelector> ls = new ArrayList<>(byLevel.size());
    byLevel.values().forEach(l -> ls.add(new MaglevSelector(l)));
    this.levels = List.copyOf(ls);
  }

  @Override
  public RuleBackend select(long flowHash, int attempt, Set<RuleBackend> exclude) {
    for (MaglevSelector level : levels) {
      RuleBackend b = level.select(flowHash, attempt, exclude);
      if (b != null) {
        return b;
      }
    }
    return null;
  }
}
