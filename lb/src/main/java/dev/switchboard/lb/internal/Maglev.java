package dev.switchboard.lb.internal;

import java.util.Arrays;
import java.util.List;

/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016, section 3.4): each slot names a backend, every
 * backend gets an almost equal share, and adding or removing one backend moves few slots.
 */
public final class Maglev {
  private static final int[] PRIMES = {251, 2039, 16381, 65537};
  private final int[] table;

  private Maglev(int[] table) {
    this.table = table;
  }

  /** Builds the table over {@code keys} (a backend's stable identity, e.g. its IP). */
  public static Maglev build(List<String> keys) {
    int n = keys.size();
    int m = PRIMES[PRIMES.length - 1];
    for (int p : PRIMES) {
      if (p >= 100L * Math.max(n, 1)) {
        m = p;
        break;
      }
    }
    int[] table = new int[m];
    Arrays.fill(table, -1);
    if (n == 0) {
      return new Maglev(table);
    }
    int[] offset = new int[n];
    int[] skip = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      offset[i] = (int) Long.remainderUnsigned(FlowKey.hash(keys.get(i), 0x51ED27L), m);
      skip[i] = (int) Long.remainderUnsigned(FlowKey.hash(keys.get(i), 0xC0FFEEL), m - 1) + 1;
    }
    int filled = 0;
    while (true) {
      for (int i = 0; i < n; i++) {
        int c = (int) ((offset[i] + (long) next[i] * skip[i]) % m);
        while (table[c] >= 0) {
          next[i]++;
          c = (int) ((offset[i] + (long) next[i] * skip[i]) % m);
        }
        table[c] = i;
        next[i]++;
        if (++filled == m) {
          return new Maglev(table);
        }
      }
    }
  }

  /** The index (into the key list) of the backend for {@code hash}, or -1 if there are none. */
  public int lookup(long hash) {
    return table[(int) Long.remainderUnsigned(hash, table.length)];
  }

  public int size() {
    return table.length;
  }
}
