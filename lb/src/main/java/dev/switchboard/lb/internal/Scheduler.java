package dev.switchboard.lb.internal;

import java.time.Duration;

/** Time and delayed execution, injected so tests can drive probes and leases with a fake clock. */
public interface Scheduler {

  /** Monotonic nanoseconds, like {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }
}
