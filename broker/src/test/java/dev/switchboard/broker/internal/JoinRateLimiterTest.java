package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.time.ManualScheduler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JoinRateLimiterTest {
  private static final InetAddress A = address("127.0.0.10");
  private static final InetAddress B = address("127.0.0.11");
  private final ManualScheduler time = new ManualScheduler();

  @Test
  void anAddressIsRefusedAfterItsFailuresPerMinuteOthersAreNot() {
    JoinRateLimiter limiter = new JoinRateLimiter(time.clock(), 3, 100);
    for (int i = 0; i < 2; i++) {
      limiter.recordFailure(A);
    }
    assertThat(limiter.allows(A)).as("after n-1 failures").isTrue();
    limiter.recordFailure(A);
    assertThat(limiter.allows(A)).as("after n failures").isFalse();
    assertThat(limiter.allows(B)).isTrue();
  }

  @Test
  void theBrokerWideLimitRefusesEveryAddress() {
    JoinRateLimiter limiter = new JoinRateLimiter(time.clock(), 10, 4);
    for (int i = 0; i < 4; i++) {
      limiter.recordFailure(address("127.0.1." + i));
    }
    assertThat(limiter.allows(A)).isFalse();
    assertThat(limiter.allows(address("127.0.1.0"))).isFalse();
  }

  @Test
  void onlyFailuresSpendTokens() {
    JoinRateLimiter limiter = new JoinRateLimiter(time.clock(), 1, 1);
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.allows(A)).isTrue();
    }
  }

  @Test
  void theBucketRefillsContinuouslyOverAMinute() {
    JoinRateLimiter limiter = new JoinRateLimiter(time.clock(), 6, 100);
    for (int i = 0; i < 6; i++) {
      limiter.recordFailure(A);
    }
    assertThat(limiter.allows(A)).isFalse();
    // 6 per minute: one token every 10 s.
    time.advance(Duration.ofSeconds(10).minusMillis(1));
    assertThat(limiter.allows(A)).as("just before one token is back").isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(limiter.allows(A)).as("one token back").isTrue();
    limiter.recordFailure(A);
    assertThat(limiter.allows(A)).as("spent it again").isFalse();

    time.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 5; i++) {
      limiter.recordFailure(A);
    }
    assertThat(limiter.allows(A)).as("a full bucket holds no more than its capacity").isTrue();
    limiter.recordFailure(A);
    assertThat(limiter.allows(A)).isFalse();
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
