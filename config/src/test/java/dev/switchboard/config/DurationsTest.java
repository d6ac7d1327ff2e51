package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void everyUnitParses() {
    assertThat(Durations.parse("f", "250ms", DAY)).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("f", "30s", DAY)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("f", "10m", DAY)).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("f", "2h", DAY)).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("f", "1d", DAY)).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("f", " 0s ", DAY)).isZero();
  }

  @Test
  void aBareNumberIsRefusedNamingTheField() {
    assertThatThrownBy(() -> Durations.parse("--deadline", "30", DAY))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--deadline: a duration needs a unit: write 30s or 30ms, not 30");
  }

  @Test
  void malformedTextIsRefused() {
    for (String bad : new String[] {"", "s", "1.5s", "-1s", "10 s", "10sec", "1h30m", "ten"}) {
      assertThatThrownBy(() -> Durations.parse("ttl", bad, DAY))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("ttl: must be a duration");
    }
  }

  @Test
  void valuesAboveTheFieldsBoundAreRefusedWithTheBound() {
    assertThatThrownBy(() -> Durations.parse("connectTimeout", "3000000s", Duration.ofMinutes(10)))
        .hasMessage("connectTimeout: must be at most 10m, got 3000000s");
    assertThatThrownBy(() -> Durations.parse("interval", "0s", Duration.ofMillis(1), DAY))
        .hasMessage("interval: must be at least 1ms, got 0s");
  }

  @Test
  void numbersThatWouldOverflowAreRefusedNotWrapped() {
    for (String huge :
        new String[] {
          "999999999999999999h",
          "999999999999999999d",
          "999999999999999999ms",
          "9999999999999999999s"
        }) {
      assertThatThrownBy(() -> Durations.parse("idle", huge, DAY))
          .as(huge)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("idle: must be");
    }
  }

  @Test
  void formatPrintsTheLargestExactUnitAndReadsBack() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(4))).isEqualTo("4m");
    assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(Durations.format(Duration.ofDays(2))).isEqualTo("2d");
    for (long ms :
        new long[] {
          0, 1, 999, 1000, 59_000, 60_000, 3_599_999, 3_600_000, 86_400_000, 123_456_789
        }) {
      Duration d = Duration.ofMillis(ms);
      assertThat(Durations.parse("f", Durations.format(d), Durations.CEILING)).isEqualTo(d);
    }
  }
}
