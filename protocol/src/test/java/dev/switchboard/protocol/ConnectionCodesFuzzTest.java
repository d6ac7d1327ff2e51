package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a target sends as its code through {@link ConnectionCodes#normalize}: never throws, a result
 * is canonical, and it agrees with {@link ConnectionCodes#problem}.
 */
class ConnectionCodesFuzzTest {
  @FuzzTest
  void normalizesOrRejectsAnyText(byte[] input) {
    String typed = new String(input, StandardCharsets.UTF_8);
    Optional<String> code = ConnectionCodes.normalize(typed);
    assertThat(ConnectionCodes.problem(typed).isEmpty())
        .as("problem() and normalize() agree on %s", typed)
        .isEqualTo(code.isPresent());
    code.ifPresent(
        c -> {
          assertThat(c).hasSize(ConnectionCodes.LENGTH);
          assertThat(c.chars()).allMatch(ch -> ConnectionCodes.ALPHABET.indexOf(ch) >= 0);
          assertThat(ConnectionCodes.normalize(ConnectionCodes.display(c))).contains(c);
        });
  }
}
