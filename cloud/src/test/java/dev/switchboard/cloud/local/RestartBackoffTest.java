package dev.switchboard.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private static final Duration QUICK = Duration.ofSeconds(1);

  @Test
  void theFirstRestartIsImmediateThenTheWaitDoublesUpToThirtySeconds() {
    Duration d = RestartBackoff.next(null, QUICK);
    assertThat(d).isZero();
    d = RestartBackoff.next(d, QUICK);
    assertThat(d).isEqualTo(Duration.ofMillis(500));
    d = RestartBackoff.next(d, QUICK);
    assertThat(d).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      d = RestartBackoff.next(d, QUICK);
    }
    assertThat(d).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aTaskThatRanAMinuteStartsOverWithoutWaiting() {
    assertThat(RestartBackoff.next(Duration.ofSeconds(30), Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(30));
    assertThat(RestartBackoff.next(Duration.ofSeconds(30), Duration.ofMinutes(1))).isZero();
  }
}
