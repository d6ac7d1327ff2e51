package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * An ATTACH's ticket bytes through {@link Ticket#parse}: a ticket or TICKET_INVALID, and a parsed
 * ticket serializes back to exactly the bytes it came from (so its signature covers them).
 */
class TicketFuzzTest {
  @FuzzTest
  void parsesOrRefusesAnyTicket(byte[] wire) {
    Ticket t;
    try {
      t = Ticket.parse(wire);
    } catch (ProtocolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.TICKET_INVALID);
      return;
    }
    assertThat(t.toBytes()).isEqualTo(wire);
  }
}
