package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.time.ManualScheduler;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CodeRegistryTest {
  private static final Duration TTL = Duration.ofMinutes(10);
  private final ManualScheduler time = new ManualScheduler();
  private final CodeRegistry codes =
      new CodeRegistry(time.clock(), TTL, new ConnectionCodes(new SecureRandom()));
  private final FakeController controller = new FakeController();

  @Test
  void anIssuedCodeIsClaimedByExactlyOneJoin() {
    String code = codes.issue(controller);
    assertThat(codes.open()).isEqualTo(1);

    CodeRegistry.Claim first = codes.claim(code);
    assertThat(first.ok()).isTrue();
    assertThat(first.controller()).isSameAs(controller);

    CodeRegistry.Claim second = codes.claim(code);
    assertThat(second.ok()).isFalse();
    assertThat(second.refusal()).isEqualTo(ErrorCode.CODE_USED);
    assertThat(codes.open()).isZero();
  }

  @Test
  void aCodeIsValidOneMillisecondBeforeItsTtlAndExpiredAtIt() {
    String code = codes.issue(controller);
    assertThat(codes.expiresAt(code)).isEqualTo(time.clock().millis() + TTL.toMillis());

    time.advance(TTL.minusMillis(1));
    assertThat(codes.open()).isEqualTo(1);
    String other = codes.issue(new FakeController());
    assertThat(codes.claim(code).ok()).as("at ttl - 1 ms").isTrue();

    time.advance(TTL.minusMillis(1)); // `other` now is at ttl - 1 ms too
    time.advance(Duration.ofMillis(1));
    CodeRegistry.Claim late = codes.claim(other);
    assertThat(late.refusal()).as("at ttl").isEqualTo(ErrorCode.CODE_EXPIRED);
    assertThat(codes.claim(other).refusal()).as("stays expired").isEqualTo(ErrorCode.CODE_EXPIRED);
  }

  @Test
  void anUnknownCodeIsRefusedAsUnknown() {
    assertThat(codes.claim("2345678923").refusal()).isEqualTo(ErrorCode.CODE_UNKNOWN);
  }

  @Test
  void aCodeWhoseControllerLeftIsRefusedAsControllerGone() {
    String disconnected = codes.issue(controller);
    controller.connected = false;
    assertThat(codes.claim(disconnected).refusal()).isEqualTo(ErrorCode.CONTROLLER_GONE);

    String abandoned = codes.issue(new FakeController());
    codes.abandon(abandoned);
    assertThat(codes.claim(abandoned).refusal()).isEqualTo(ErrorCode.CONTROLLER_GONE);
  }

  @Test
  void spentCodesAreRememberedUntilTheyWouldHaveExpiredThenForgotten() {
    String code = codes.issue(controller);
    codes.claim(code);
    time.advance(TTL.minusMillis(1));
    codes.issue(new FakeController()); // issuing purges what has expired
    assertThat(codes.claim(code).refusal()).isEqualTo(ErrorCode.CODE_USED);
    time.advance(Duration.ofMillis(1));
    codes.issue(new FakeController());
    assertThat(codes.claim(code).refusal()).isEqualTo(ErrorCode.CODE_UNKNOWN);
  }

  private static final class FakeController implements WaitingController {
    volatile boolean connected = true;

    @Override
    public String name() {
      return "c";
    }

    @Override
    public byte[] fingerprint() {
      return new byte[32];
    }

    @Override
    public boolean isConnected() {
      return connected;
    }

    @Override
    public void pairLocally(ClientConnection target, String sessionId) {}

    @Override
    public void redirect(String brokerId, String host, int port, byte[] ticket) {}
  }
}
