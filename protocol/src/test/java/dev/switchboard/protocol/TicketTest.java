package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

class TicketTest {
  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  @Test
  void signedTicketVerifiesWithTheIssuerKeyOnly() throws Exception {
    KeyPair issuer = ec();
    KeyPair other = ec();
    Ticket t =
        Ticket.issue(
            new byte[] {1, 2}, "s-1", "b1", "b3", new byte[] {9}, 1234L, issuer.getPrivate());
    Ticket back = Ticket.parse(t.toBytes());
    assertThat(back.verify(issuer.getPublic())).isTrue();
    assertThat(back.verify(other.getPublic())).isFalse();
    assertThat(back.sessionId()).isEqualTo("s-1");
    assertThat(back.audience()).isEqualTo("b3");
    assertThat(back.boundTo(new byte[] {9})).isTrue();
    assertThat(back.boundTo(new byte[] {8})).isFalse();
  }

  @Test
  void tamperedTicketFailsVerification() throws Exception {
    KeyPair issuer = ec();
    byte[] wire =
        Ticket.issue(new byte[] {1}, "s-1", "b1", "b3", new byte[] {9}, 1234L, issuer.getPrivate())
            .toBytes();
    wire[7] ^= 1; // inside the session id
    assertThat(Ticket.parse(wire).verify(issuer.getPublic())).isFalse();
  }

  @Test
  void garbageIsNotATicket() {
    assertThatThrownBy(() -> Ticket.parse(new byte[] {1, 0, 5}))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.TICKET_INVALID));
  }
}
