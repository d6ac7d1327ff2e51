package dev.switchboard.broker.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed joins per source address and per broker with token buckets that refill continuously
 * over one minute. Only failures spend tokens; an empty bucket refuses every join.
 */
public final class JoinRateLimiter {
  private static final int MAX_TRACKED_ADDRESSES = 100_000;
  private final Clock clock;
  private final int perAddress;
  private final Bucket broker;
  private final Map<InetAddress, Bucket> byAddress = new ConcurrentHashMap<>();

  public JoinRateLimiter(Clock clock, int perAddressPerMinute, int perBrokerPerMinute) {
    this.clock = clock;
    this.perAddress = perAddressPerMinute;
    this.broker = new Bucket(perBrokerPerMinute, clock.millis());
  }

  /** True if a join from {@code source} may be attempted now. */
  public synchronized boolean allows(InetAddress source) {
    long now = clock.millis();
    Bucket b = byAddress.get(source);
    return broker.available(now) >= 1 && (b == null || b.available(now) >= 1);
  }

  /** Spends one token of the source's and the broker's bucket. */
  public synchronized void recordFailure(InetAddress source) {
    long now = clock.millis();
    if (byAddress.size() > MAX_TRACKED_ADDRESSES) {
      byAddress.values().removeIf(b -> b.available(now) >= b.capacity);
    }
    byAddress.computeIfAbsent(source, a -> new Bucket(perAddress, now)).spend(now);
    broker.spend(now);
  }

  private static final class Bucket {
    final double capacity;
    double tokens;
    long updated;

    Bucket(int perMinute, long now) {
      this.capacity = perMinute;
      this.tokens = perMinute;
      this.updated = now;
    }

    double available(long now) {
      tokens = Math.min(capacity, tokens + (now - updated) * capacity / 60_000.0);
      updated = now;
      return tokens;
    }

    void spend(long now) {
      available(now);
      tokens = Math.max(0, tokens - 1);
    }
  }
}
