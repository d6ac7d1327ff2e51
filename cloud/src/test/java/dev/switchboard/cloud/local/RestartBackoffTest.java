package dev.switchboard.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.time.ExponentialBackoff;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private static final Duration QUICK = Duration.ofSeconds(1);

  private static RestartBackoff withoutJitter() {
    return new RestartBackoff(
        new ExponentialBackoff(RestartBackoff.FIRST, 2, RestartBackoff.MAX, 0, () -> 0.5));
  }

  @Test
  void theFirstRestartIsImmediateThenTheWaitDoublesUpToThirtySeconds() {
    RestartBackoff b = withoutJitter();
    assertThat(b.next(QUICK)).isZero();
    assertThat(b.next(QUICK)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.next(QUICK)).isEqualTo(Duration.ofSeconds(1));
    Duration d = null;
    for (int i = 0; i < 10; i++) {
      d = b.next(QUICK);
    }
    assertThat(d).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aTaskThatRanAMinuteStartsOverWithoutWaiting() {
    RestartBackoff b = withoutJitter();
    for (int i = 0; i < 12; i++) {
      b.next(QUICK);
    }
    assertThat(b.next(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.next(Duration.ofMinutes(1))).isZero();
    assertThat(b.next(QUICK))
        .as("and backs off from the start again")
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void withJitterEachWaitStaysWithinTwentyPercentOfItsNominalValue() {
    RestartBackoff b =
        new RestartBackoff(
            new ExponentialBackoff(
                RestartBackoff.FIRST, 2, RestartBackoff.MAX, 0.2, new Random(1)::nextDouble));
    assertThat(b.next(QUICK)).isZero();
    long nominal = 500;
    for (int i = 0; i < 12; i++) {
      assertThat(b.next(QUICK).toMillis()).isBetween(nominal * 8 / 10, nominal * 12 / 10);
      nominal = Math.min(nominal * 2, 30_000);
    }
  }
}
