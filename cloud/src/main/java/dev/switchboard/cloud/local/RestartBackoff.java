package dev.switchboard.cloud.local;

import dev.switchboard.time.BackoffPolicy;
import dev.switchboard.time.ExponentialBackoff;
import java.time.Duration;

/**
 * How long one group's exited task waits before it is started again: not at all the first time,
 * then doubling from 500 ms up to 30 s (±20% jitter) while it keeps exiting within a minute of its
 * start, and not at all again once it ran a minute.
 */
final class RestartBackoff {
  static final Duration FIRST = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(30);
  static final Duration STABLE = Duration.ofMinutes(1);

  private final BackoffPolicy policy;
  private boolean restartedQuickly;

  RestartBackoff() {
    this(ExponentialBackoff.doubling(FIRST, MAX));
  }

  RestartBackoff(BackoffPolicy policy) {
    this.policy = policy;
  }

  /** The wait before the next start of a task that exited after running for {@code ranFor}. */
  Duration next(Duration ranFor) {
    if (ranFor.compareTo(STABLE) >= 0) {
      policy.reset();
      restartedQuickly = false;
    }
    if (!restartedQuickly) {
      restartedQuickly = true;
      return Duration.ZERO;
    }
    return policy.nextDelay();
  }
}
