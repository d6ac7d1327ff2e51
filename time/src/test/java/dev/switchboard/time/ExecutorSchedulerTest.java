package dev.switchboard.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorSchedulerTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final Scheduler scheduler = Scheduler.using(executor);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void runsTheTaskOnTheExecutorAfterTheDelay() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    long before = scheduler.nanoTime();
    long[] at = new long[1];
    scheduler.schedule(
        () -> {
          at[0] = scheduler.nanoTime();
          ran.countDown();
        },
        Duration.ofMillis(20));
    assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(at[0] - before).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
  }

  @Test
  void aCancelledTaskDoesNotRun() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    scheduler.schedule(() -> ran.set(true), Duration.ofMillis(50)).cancel();
    // A later task on the same single thread proves the cancelled one's time has passed.
    CountDownLatch later = new CountDownLatch(1);
    scheduler.schedule(later::countDown, Duration.ofMillis(100));
    assertThat(later.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).isFalse();
  }
}
