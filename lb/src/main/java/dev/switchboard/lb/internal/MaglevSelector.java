package dev.switchboard.lb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Consistent hashing through a {@link Maglev} table keyed by backend IP; retries rehash the flow.
 */
final class MaglevSelector implements BackendSelector {
  private static final int REHASHES = 8;
  private final List<RuleBackend> backends;
  private final Maglev table;

  MaglevSelector(List<RuleBackend> backends) {
    this.backends = List.copyOf(backends);
    List<String> keys = new ArrayList<>(backends.size());
    for (RuleBackend b : backends) {
      keys.add(b.ip);
    }
    this.table = Maglev.build(keys);
  }

  @Override
  public RuleBackend select(long flowHash, int attempt, Set<RuleBackend> exclude) {
    if (backends.isEmpty()) {
      return null;
    }
    long h = flowHash;
    for (int i = 0; i < REHASHES; i++) {
      if (attempt > 0 || i > 0) {
        h = FlowKey.fmix(h + attempt * 0x9E3779B97F4A7C15L + i);
      }
      RuleBackend b = backends.get(table.lookup(h));
      if (!exclude.contains(b)) {
        return b;
      }
    }
    for (RuleBackend b : backends) {
      if (!exclude.contains(b)) {
        return b;
      }
    }
    return null;
  }
}
