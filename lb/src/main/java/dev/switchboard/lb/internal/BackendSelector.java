package dev.switchboard.lb.internal;

import java.util.Set;

/** Picks the backend for a new flow from a fixed set of eligible backends. */
interface BackendSelector {

  /**
   * The backend for a flow with this hash on its {@code attempt}-th try (0 first), never one in
   * {@code exclude}; null if none is left.
   */
  RuleBackend select(long flowHash, int attempt, Set<RuleBackend> exclude);
}
