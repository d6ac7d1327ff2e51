package dev.switchboard.lb.internal;

import dev.switchboard.time.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The production {@link Scheduler}: the system nano clock and a Netty event loop group's timers. */
final class EventLoopScheduler implements Scheduler {
  private final EventLoopGroup group;

  EventLoopScheduler(EventLoopGroup group) {
    this.group = group;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?> f = group.next().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }
}
