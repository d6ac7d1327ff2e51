package dev.switchboard.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
  private static final Duration MS_100 = Duration.ofMillis(100);
  private static final Duration S_5 = Duration.ofSeconds(5);

  private static ExponentialBackoff noJitter() {
    return new ExponentialBackoff(MS_100, 2, S_5, 0, () -> 0.5);
  }

  @Test
  void withoutJitterTheWaitGrowsByTheMultiplierAndStopsAtTheMax() {
    BackoffPolicy b = noJitter();
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ms.add(b.nextDelay().toMillis());
    }
    assertThat(ms)
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L, 5000L);
  }

  @Test
  void resetStartsOverFromTheInitialWait() {
    BackoffPolicy b = noJitter();
    b.nextDelay();
    b.nextDelay();
    b.nextDelay();
    b.reset();
    assertThat(b.nextDelay()).isEqualTo(MS_100);
  }

  @Test
  void aNonIntegerMultiplierGrowsGeometrically() {
    BackoffPolicy b =
        new ExponentialBackoff(Duration.ofSeconds(1), 1.6, Duration.ofMinutes(2), 0, () -> 0);
    assertThat(b.nextDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.nextDelay()).isEqualTo(Duration.ofMillis(1600));
    assertThat(b.nextDelay()).isEqualTo(Duration.ofMillis(2560));
  }

  @Test
  void jitterStaysWithinItsFractionOfTheNominalWaitAndActuallySpreads() {
    ExponentialBackoff b = new ExponentialBackoff(MS_100, 2, S_5, 0.2, new Random(42)::nextDouble);
    long nominal = 100;
    List<Long> atMax = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long got = b.nextDelay().toMillis();
      assertThat(got).as("attempt %d", i).isBetween(nominal * 8 / 10, nominal * 12 / 10);
      if (nominal == 5000) {
        atMax.add(got);
      }
      nominal = Math.min(nominal * 2, 5000);
    }
    assertThat(atMax.stream().distinct().count())
        .as("different waits at the cap")
        .isGreaterThan(50);
    assertThat(atMax.stream().mapToLong(Long::longValue).min().getAsLong()).isLessThan(4500);
    assertThat(atMax.stream().mapToLong(Long::longValue).max().getAsLong()).isGreaterThan(5500);
  }

  @Test
  void theSameSeedGivesTheSameWaits() {
    ExponentialBackoff a = new ExponentialBackoff(MS_100, 2, S_5, 0.2, new Random(7)::nextDouble);
    ExponentialBackoff b = new ExponentialBackoff(MS_100, 2, S_5, 0.2, new Random(7)::nextDouble);
    for (int i = 0; i < 10; i++) {
      assertThat(a.nextDelay()).isEqualTo(b.nextDelay());
    }
  }

  @Test
  void nonsenseParametersAreRefused() {
    assertThatThrownBy(() -> new ExponentialBackoff(S_5, 2, MS_100, 0, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExponentialBackoff(MS_100, 0.5, S_5, 0, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExponentialBackoff(MS_100, 2, S_5, 1, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
