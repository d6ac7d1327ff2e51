package dev.switchboard.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
  private final ManualScheduler time = new ManualScheduler();
  private final List<String> ran = new ArrayList<>();

  @Test
  void aTaskDoesNotRunOneNanosecondBeforeItIsDueAndRunsWhenItIs() {
    time.schedule(() -> ran.add("a"), Duration.ofSeconds(5));
    time.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(ran).isEmpty();
    time.advance(Duration.ofNanos(1));
    assertThat(ran).containsExactly("a");
    time.advance(Duration.ofHours(1));
    assertThat(ran).as("runs once").containsExactly("a");
  }

  @Test
  void tasksRunInDueOrderThenSchedulingOrderAndSeeTheirOwnDueTime() {
    long start = time.nanoTime();
    List<Long> at = new ArrayList<>();
    time.schedule(() -> ran.add("late"), Duration.ofSeconds(2));
    time.schedule(
        () -> {
          ran.add("first");
          at.add(time.nanoTime() - start);
        },
        Duration.ofSeconds(1));
    time.schedule(() -> ran.add("second"), Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(3));
    assertThat(ran).containsExactly("first", "second", "late");
    assertThat(at).containsExactly(Duration.ofSeconds(1).toNanos());
    assertThat(time.nanoTime() - start).isEqualTo(Duration.ofSeconds(3).toNanos());
  }

  @Test
  void aTaskScheduledByARunningTaskRunsInTheSameAdvanceIfDue() {
    time.schedule(
        () -> {
          ran.add("outer");
          time.schedule(() -> ran.add("inner"), Duration.ofSeconds(1));
        },
        Duration.ofSeconds(1));
    time.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(ran).containsExactly("outer");
    time.advance(Duration.ofNanos(1));
    assertThat(ran).containsExactly("outer", "inner");
  }

  @Test
  void aCancelledTaskNeverRuns() {
    Scheduler.Cancellable c = time.schedule(() -> ran.add("x"), Duration.ofSeconds(1));
    assertThat(time.pending()).isEqualTo(1);
    c.cancel();
    time.advance(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
    assertThat(time.pending()).isZero();
  }

  @Test
  void sleepingAdvancesAndTheWallClockMovesAlong() {
    Instant wall = Instant.parse("2030-05-06T07:08:09Z");
    ManualScheduler t = new ManualScheduler(wall);
    t.schedule(() -> ran.add("woke"), Duration.ofMillis(50));
    t.sleep(Duration.ofMillis(50));
    assertThat(ran).containsExactly("woke");
    assertThat(t.clock().instant()).isEqualTo(wall.plusMillis(50));
    assertThat(t.clock().millis()).isEqualTo(wall.toEpochMilli() + 50);
  }
}
