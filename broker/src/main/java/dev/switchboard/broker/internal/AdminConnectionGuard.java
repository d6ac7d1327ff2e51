package dev.switchboard.broker.internal;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Caps the admin listener's connections in total and per source address. A new connection over a
 * cap displaces the connection that has waited longest for a complete request (from the same source
 * for the per-source cap, from any for the total), so idle or trickling connections cannot keep a
 * health probe out: a probe sends its request at once and is answered before it becomes the oldest.
 * Only when every counted connection is busy with a request is the new one refused.
 */
final class AdminConnectionGuard {
  private final int max;
  private final int maxPerSource;
  private final BrokerMetrics metrics;
  private final Map<InetAddress, Integer> perSource = new HashMap<>();
  // Connections waiting for a complete request, the longest-waiting first.
  private final LinkedHashSet<Entry> waitingLocked = new LinkedHashSet<>();
  private int openLocked;

  AdminConnectionGuard(int max, int maxPerSource, BrokerMetrics metrics) {
    this.max = max;
    this.maxPerSource = maxPerSource;
    this.metrics = metrics;
  }

  /** Connections counted now. */
  synchronized int open() {
    return openLocked;
  }

  /**
   * Counts {@code ch} from {@code source} as waiting for its first request, displacing others if a
   * cap is reached; null (and {@code ch} closed) if it cannot be admitted.
   */
  Entry admit(Channel ch, InetAddress source) {
    List<Entry> evicted = new ArrayList<>(2);
    Entry admitted = null;
    synchronized (this) {
      if (perSource.getOrDefault(source, 0) >= maxPerSource) {
        Entry oldest = oldestWaitingLocked(source);
        if (oldest != null) {
          releaseLocked(oldest);
          evicted.add(oldest);
        }
      }
      if (perSource.getOrDefault(source, 0) < maxPerSource && openLocked >= max) {
        Entry oldest = oldestWaitingLocked(null);
        if (oldest != null) {
          releaseLocked(oldest);
          evicted.add(oldest);
        }
      }
      if (perSource.getOrDefault(source, 0) < maxPerSource && openLocked < max) {
        admitted = new Entry(ch, source);
        openLocked++;
        perSource.merge(source, 1, Integer::sum);
        waitingLocked.add(admitted);
      }
    }
    // Closed outside the lock: a close runs listeners that may come back here.
    for (Entry e : evicted) {
      metrics.adminConnectionsEvicted.inc();
      e.channel.close();
    }
    if (admitted == null) {
      metrics.adminConnectionsRefused.inc();
      ch.close();
      return null;
    }
    Entry counted = admitted;
    ch.closeFuture().addListener(f -> counted.closed());
    return counted;
  }

  private Entry oldestWaitingLocked(InetAddress source) {
    for (Entry e : waitingLocked) {
      if (source == null || e.source.equals(source)) {
        return e;
      }
    }
    return null;
  }

  private void releaseLocked(Entry e) {
    if (!e.counted) {
      return;
    }
    e.counted = false;
    openLocked--;
    waitingLocked.remove(e);
    perSource.computeIfPresent(e.source, (k, n) -> n == 1 ? null : n - 1);
  }

  /** One admitted connection's place in the counts. */
  final class Entry {
    private final Channel channel;
    private final InetAddress source;
    private boolean counted = true; // guarded by the enclosing guard

    private Entry(Channel channel, InetAddress source) {
      this.channel = channel;
      this.source = source;
    }

    /** The connection now waits for a (further) request: it becomes the youngest waiting one. */
    void waiting() {
      synchronized (AdminConnectionGuard.this) {
        if (counted) {
          waitingLocked.remove(this);
          waitingLocked.add(this);
        }
      }
    }

    /** A complete request arrived: the connection is not displaced while it is answered. */
    void busy() {
      synchronized (AdminConnectionGuard.this) {
        waitingLocked.remove(this);
      }
    }

    void closed() {
      synchronized (AdminConnectionGuard.this) {
        releaseLocked(this);
      }
    }
  }
}
