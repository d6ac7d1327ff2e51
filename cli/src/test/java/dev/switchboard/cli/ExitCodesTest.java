package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.RefusedException;
import dev.switchboard.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

/** A hostile peer's sentence reaches the user's terminal as one harmless line. */
class ExitCodesTest {
  @Test
  void escapeSequencesAndLineBreaksInAPeersReasonAreNeutralised() {
    RefusedException peer =
        new RefusedException(
            ErrorCode.SERVICE_UNREACHABLE, "gone\u001b]0;pwned\u0007\nswitchboard: fake\u202e");
    String line = ExitCodes.messageOf(ExitCodes.sessionEnded(peer));
    assertThat(line)
        .isEqualTo("session ended: SERVICE_UNREACHABLE — gone?]0;pwned??switchboard: fake?")
        .doesNotContain("\n")
        .doesNotContain("\u001b");
  }
}
