package dev.switchboard.time;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Waits {@code initial}, then {@code multiplier} times longer after each failure up to {@code max},
 * each wait spread uniformly by ±{@code jitter} of itself so that many clients failing together do
 * not retry together (grpc's {@code ExponentialBackoffPolicy}).
 */
public final class ExponentialBackoff implements BackoffPolicy {
  private final long initialNanos;
  private final double multiplier;
  private final long maxNanos;
  private final double jitter;
  private final DoubleSupplier random;
  private long nextNanos;

  /**
   * @param jitter fraction in [0, 1): 0.2 means each wait lies within ±20% of its nominal value
   * @param random uniform values in [0, 1), e.g. {@code new Random(seed)::nextDouble} in tests
   */
  public ExponentialBackoff(
      Duration initial, double multiplier, Duration max, double jitter, DoubleSupplier random) {
    if (initial.isNegative() || initial.compareTo(max) > 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + ", " + max);
    }
    if (multiplier < 1 || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException(
          "need multiplier >= 1 and 0 <= jitter < 1, got " + multiplier + ", " + jitter);
    }
    this.initialNanos = initial.toNanos();
    this.multiplier = multiplier;
    this.maxNanos = max.toNanos();
    this.jitter = jitter;
    this.random = random;
    this.nextNanos = initialNanos;
  }

  /** Doubling from {@code initial} to {@code max} with ±20% jitter (grpc's default jitter). */
  public static ExponentialBackoff doubling(Duration initial, Duration max) {
    return new ExponentialBackoff(
        initial, 2, max, 0.2, () -> ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public synchronized Duration nextDelay() {
    long nominal = nextNanos;
    nextNanos = (long) Math.min(nominal * multiplier, maxNanos);
    double spread = jitter * nominal * (2 * random.getAsDouble() - 1);
    return Duration.ofNanos(Math.max(0, Math.round(nominal + spread)));
  }

  @Override
  public synchronized void reset() {
    nextNanos = initialNanos;
  }
}
