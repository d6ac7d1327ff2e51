package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleSweepTest {
  private static final Duration IDLE = Duration.ofMillis(400);
  private static final long PERIOD = IdleSweep.periodMs(IDLE);
  private final EmbeddedChannel ch = new EmbeddedChannel();
  private final AtomicInteger fired = new AtomicInteger();
  private long now;

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  /** Moves time in 1 ms steps, running what is due at each (a fixed-delay sweep reschedules). */
  private void advanceTo(long ms) {
    while (now < ms) {
      ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      now++;
      ch.runScheduledPendingTasks();
    }
  }

  @Test
  void quietConnectionFiresOnceAfterTheTimeoutNeverBefore() {
    ch.freezeTime();
    IdleSweep.watch(ch, IDLE, fired::incrementAndGet);
    advanceTo(IDLE.toMillis() - 1);
    assertThat(fired).hasValue(0);
    advanceTo(IDLE.toMillis() + 2 * PERIOD);
    assertThat(fired).hasValue(1);
    advanceTo(10 * IDLE.toMillis());
    assertThat(fired).as("once").hasValue(1);
    assertThat(ch.runScheduledPendingTasks()).as("no timer left running").isEqualTo(-1);
  }

  @Test
  void payloadRestartsTheTimeout() {
    ch.freezeTime();
    IdleSweep.Entry e = IdleSweep.watch(ch, IDLE, fired::incrementAndGet);
    long touched = 0;
    for (int i = 1; i <= 10; i++) {
      advanceTo(i * (IDLE.toMillis() - 50));
      e.touch();
      touched = now;
    }
    advanceTo(touched + IDLE.toMillis() - 1);
    assertThat(fired).as("busy for 10 timeouts, then quiet for less than one").hasValue(0);
    advanceTo(touched + IDLE.toMillis() + 2 * PERIOD);
    assertThat(fired).hasValue(1);
  }

  @Test
  void deadlineFiresAfterItsTimeoutWithinAFifthOfIt() {
    ch.freezeTime();
    Duration timeout = Duration.ofMillis(2000);
    IdleSweep.deadline(ch, timeout, fired::incrementAndGet);
    advanceTo(timeout.toMillis() - 1);
    assertThat(fired).hasValue(0);
    advanceTo(timeout.toMillis() + timeout.toMillis() / 5);
    assertThat(fired).hasValue(1);
  }

  @Test
  void removedConnectionNeverFiresAndOthersStillDo() {
    ch.freezeTime();
    AtomicInteger other = new AtomicInteger();
    IdleSweep.Entry closed = IdleSweep.watch(ch, IDLE, fired::incrementAndGet);
    IdleSweep.watch(ch, IDLE, other::incrementAndGet);
    closed.remove();
    closed.remove();
    advanceTo(IDLE.toMillis() + 2 * PERIOD);
    assertThat(fired).hasValue(0);
    assertThat(other).hasValue(1);
  }
}
