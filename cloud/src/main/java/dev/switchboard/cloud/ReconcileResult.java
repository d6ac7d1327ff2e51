package dev.switchboard.cloud;

import java.util.List;

/** What one reconcile pass changed in a backend pool: addresses added and addresses removed. */
public record ReconcileResult(
    String lbName, List<String> added, List<String> removed, List<String> current) {
  public ReconcileResult {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    current = List.copyOf(current);
  }

  public boolean changed() {
    return !added.isEmpty() || !removed.isEmpty();
  }
}
