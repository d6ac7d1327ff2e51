package dev.switchboard.lb.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UDP flows per source address of one rule, shared by the rule's sockets (one per event loop, and a
 * source's ports may land on several), so that a few sources cannot fill the flow table.
 */
final class SourceFlows {
  private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

  /** Counts a new flow from {@code source} unless it already has {@code cap}; false if it has. */
  boolean tryAcquire(InetAddress source, int cap) {
    boolean[] ok = {false};
    counts.compute(
        source,
        (k, n) -> {
          int have = n == null ? 0 : n;
          if (have >= cap) {
            return n;
          }
          ok[0] = true;
          return have + 1;
        });
    return ok[0];
  }

  /** Forgets one flow of {@code source}. */
  void release(InetAddress source) {
    counts.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
  }
}
