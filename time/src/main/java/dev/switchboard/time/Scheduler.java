package dev.switchboard.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** Time and delayed execution, injected so tests can drive timeouts and retries by hand. */
public interface Scheduler extends Ticker {

  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Prevents the task from running if it has not started; does nothing otherwise. */
    void cancel();
  }

  /**
   * The system ticker with tasks run by {@code executor} (a Netty {@code EventLoopGroup} is one);
   * tasks run on the executor's threads, so callers hop to their own thread if they need to.
   */
  static Scheduler using(ScheduledExecutorService executor) {
    return new ExecutorScheduler(executor);
  }
}
