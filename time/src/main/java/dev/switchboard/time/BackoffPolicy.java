package dev.switchboard.time;

import java.time.Duration;

/**
 * How long to wait before each retry of something that keeps failing. Instances are stateful (one
 * per thing being retried) and thread-safe.
 */
public interface BackoffPolicy {

  /** The wait before the next attempt; each call counts as one more failed attempt. */
  Duration nextDelay();

  /** The thing succeeded: the next {@link #nextDelay} starts from the beginning again. */
  void reset();
}
