package dev.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java checks of {@link Exposition} reject the defects the old hand-written text had. */
class ExpositionTest {
  @Test
  void rejectsAnUnlabelledTotalBesideItsBreakdown() {
    assertThatThrownBy(
            () ->
                Exposition.parse(
                    "",
                    """
        # TYPE switchboard_failed_joins_total counter
        switchboard_failed_joins_total{broker="b"} 2
        switchboard_failed_joins_total{broker="b",reason="code_unknown"} 2
        """))
        .hasMessageContaining("label names of the series of switchboard_failed_joins_total");
  }

  @Test
  void rejectsASampleWithoutItsOwnType() {
    assertThatThrownBy(
            () ->
                Exposition.parse(
                    "",
                    """
        # TYPE switchboard_joins_total counter
        switchboard_joins_total{broker="b"} 1
        switchboard_codes_open{broker="b"} 0
        """))
        .hasMessageContaining("no # TYPE line of its own");
  }

  @Test
  void rejectsAnUnescapedQuote() {
    assertThatThrownBy(
            () ->
                Exposition.parse(
                    "",
                    """
        # TYPE up gauge
        up{peer="a"b"} 1
        """))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void readsEscapedLabelValues() {
    Exposition e =
        Exposition.parse(
            "",
            """
        # TYPE up gauge
        up{peer="a\\"b\\\\c\\nd"} 1.0
        """);
    assertThat(e.family("up").samples())
        .containsExactly(new Exposition.Sample("up", Map.of("peer", "a\"b\\c\nd"), 1.0));
  }
}
