package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionCodesTest {
  final ConnectionCodes codes = new ConnectionCodes(new SecureRandom());

  @Test
  void codesCarryAtLeastFortyBitsAndNoLookAlikes() {
    assertThat(ConnectionCodes.ENTROPY_BITS).isGreaterThanOrEqualTo(40.0);
    for (int i = 0; i < 1000; i++) {
      assertThat(codes.next()).hasSize(10).doesNotContain("0", "O", "1", "I", "L");
    }
  }

  @Test
  void codesDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(codes.next())).isTrue();
    }
  }

  @Test
  void typedCodesAreCaseAndDashInsensitive() {
    String c = codes.next();
    String shown = ConnectionCodes.display(c);
    assertThat(shown).matches("[2-9A-Z]{5}-[2-9A-Z]{5}");
    assertThat(ConnectionCodes.normalize(shown.toLowerCase())).contains(c);
    assertThat(ConnectionCodes.normalize(" " + c.substring(0, 3) + " " + c.substring(3)))
        .contains(c);
  }

  @Test
  void impossibleCodesAreRejected() {
    assertThat(ConnectionCodes.normalize("OOOOO-OOOOO")).isEmpty();
    assertThat(ConnectionCodes.normalize("ABCDE")).isEmpty();
    assertThat(ConnectionCodes.normalize("ABCDE-FGHJKM")).isEmpty();
    assertThat(ConnectionCodes.normalize(null)).isEmpty();
  }

  @Test
  void problemNamesTheSymbolsOutsideTheAlphabetOrTheCount() {
    assertThat(ConnectionCodes.problem("AAAAA-BBBB1"))
        .hasValueSatisfying(p -> assertThat(p).contains("'1'").doesNotContain("'A'"));
    assertThat(ConnectionCodes.problem("oo0aa-bbbbb"))
        .hasValueSatisfying(p -> assertThat(p).contains("'O', '0'"));
    assertThat(ConnectionCodes.problem("ABCDE"))
        .hasValueSatisfying(p -> assertThat(p).contains("5"));
    assertThat(ConnectionCodes.problem("abcde-fghjk")).isEmpty();
  }
}
