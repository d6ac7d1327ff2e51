package dev.switchboard.cloud.local;

import java.time.Duration;

/**
 * How long an exited task waits before it is started again: not at all the first time, then doubling from
 * 500 ms up to 30 s while it keeps exiting within a minute of its start, and not at all again once it ran a minute.
 */
final class RestartBackoff {
  static final Duration FIRST = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(30);
  static final Duration STABLE = Duration.ofMinutes(1);

  private RestartBackoff() {}

  /** The wait before the next start, given the previous wait (null: none yet) and how long the task ran. */
  static Duration next(Duration previous, Duration ranFor) {
    if (previous == null || ranFor.compareTo(STABLE) >= 0) {
      return Duration.ZERO;
    }
    if (previous.isZero()) {
      return FIRST;
    }
    Duration doubled = previous.multipliedBy(2);
    return doubled.compareTo(MAX) > 0 ? MAX : doubled;
  }
}
