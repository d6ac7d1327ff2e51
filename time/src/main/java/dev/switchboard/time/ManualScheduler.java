package dev.switchboard.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} whose time moves only when a test calls {@link #advance} (or {@link #sleep}):
 * "at n-1 ns nothing, at n the task fires". Due tasks run on the advancing thread, in due order.
 * {@link #clock()} is a wall clock that moves with it.
 */
public final class ManualScheduler implements Scheduler, Sleeper {
  private static final long START_NANOS = 1_000_000_000L;
  private final Instant startInstant;
  private long now = START_NANOS;
  private long seq;
  private final List<Task> tasks = new ArrayList<>();

  /** Starts at an arbitrary nano time; {@link #clock()} starts at {@code 2026-01-01T00:00:00Z}. */
  public ManualScheduler() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Starts with {@link #clock()} reading {@code wallStart}. */
  public ManualScheduler(Instant wallStart) {
    this.startInstant = wallStart;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(now + Math.max(0, delay.toNanos()), seq++, task);
    tasks.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        tasks.remove(t);
      }
    };
  }

  /** Tasks scheduled and neither run nor cancelled yet. */
  public synchronized int pending() {
    return tasks.size();
  }

  /** Moves time forward by {@code d}, running every task that falls due, in order. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next =
            tasks.stream()
                .filter(t -> t.due <= target)
                .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq))
                .orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        tasks.remove(next);
        now = Math.max(now, next.due);
      }
      // Outside the lock: the task may schedule more work or read the time.
      next.run.run();
    }
  }

  /** Sleeping on manual time is advancing it. */
  @Override
  public void sleep(Duration d) {
    advance(d);
  }

  /** A UTC wall clock that reads the start instant plus however far this scheduler advanced. */
  public Clock clock() {
    return new Clock() {
      @Override
      public Instant instant() {
        return startInstant.plusNanos(nanoTime() - START_NANOS);
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
  }

  private record Task(long due, long seq, Runnable run) {}
}
