package dev.switchboard.broker.internal;

import dev.switchboard.protocol.Message;
import dev.switchboard.time.Scheduler;
import java.util.Collection;
import java.util.List;

/**
 * Reports this broker's failed joins to every mesh peer once per sharing interval, so a guesser
 * spreading over the mesh meets one limit (docs/protocol.md, "Sharing failures across the mesh").
 * Best effort: a peer whose link is down or not keeping up misses that round's counts.
 */
final class FailureSharing {
  /**
   * Counts one round sends each peer: a flood of distinct sources is reported over several rounds
   * (the rest wait in the limiter, bounded by its tracked-source cap), never in one burst.
   */
  static final int MAX_COUNTS_PER_ROUND = 4 * Message.Failures.MAX_COUNTS;

  private final BrokerCore core;
  private final Collection<PeerLink> links;
  private volatile Scheduler.Cancellable next;
  private volatile boolean closed;

  FailureSharing(BrokerCore core, Collection<PeerLink> links) {
    this.core = core;
    this.links = links;
  }

  void start() {
    core.rateLimiter.shareWith(links.size());
    schedule();
  }

  private void schedule() {
    if (!closed) {
      next = core.scheduler.schedule(this::round, core.config.failureSharingInterval());
    }
  }

  private void round() {
    try {
      List<Message.Failures.Count> counts = core.rateLimiter.drainUnshared(MAX_COUNTS_PER_ROUND);
      for (int i = 0; i < counts.size(); i += Message.Failures.MAX_COUNTS) {
        Message.Failures m =
            new Message.Failures(
                counts.subList(i, Math.min(counts.size(), i + Message.Failures.MAX_COUNTS)));
        for (PeerLink link : links) {
          if (link.send(m)) {
            core.metrics.failuresReported(m.counts().size());
          } else {
            core.metrics.failuresDropped(m.counts().size());
          }
        }
      }
    } finally {
      schedule();
    }
  }

  void close() {
    closed = true;
    Scheduler.Cancellable n = next;
    if (n != null) {
      n.cancel();
    }
  }
}
