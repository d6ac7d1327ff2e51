package dev.switchboard.bench.hostile;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The attacker's own tally of what it tried and what came back, by name. */
final class Counts {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final long startMillis;

  Counts(long startMillis) {
    this.startMillis = startMillis;
  }

  /** Counts {@code name} in its 10-second slot since the start ({@code timeline.NAME.SSSS}). */
  void inTimeline(String name) {
    long slot = (System.currentTimeMillis() - startMillis) / 10_000 * 10;
    add(String.format("timeline.%s.%04d", name, slot));
  }

  void add(String name) {
    add(name, 1);
  }

  void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }

  /** Counts a failure by exception class; the first few of each name are printed on stderr. */
  void failure(String name, Exception e) {
    String key = name + "." + e.getClass().getSimpleName();
    add(key);
    if (counts.get(key).sum() <= 3) {
      System.err.println(System.currentTimeMillis() - startMillis + " ms " + key + ": " + e);
      if (counts.get(key).sum() == 1) {
        e.printStackTrace();
      }
    }
  }

  /** {@code name=value} lines, sorted by name. */
  String report(String prefix) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(counts)
        .forEach((k, v) -> b.append(prefix).append(k).append('=').append(v.sum()).append('\n'));
    return b.toString();
  }
}
