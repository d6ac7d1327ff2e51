package dev.switchboard.lb.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} whose time moves only when a test calls {@link #advance}. */
public final class FakeScheduler implements Scheduler {
  private long now = 1_000_000_000L;
  private long seq;
  private final List<Task> tasks = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(now + delay.toNanos(), seq++, task);
    tasks.add(t);
    return () -> {
      synchronized (FakeScheduler.this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves time forward, running every task that falls due, in order. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.due <= target)
            .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq))
            .orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        tasks.remove(next);
        now = Math.max(now, next.due);
      }
      next.run.run();
    }
  }

  private record Task(long due, long seq, Runnable run) {}
}
