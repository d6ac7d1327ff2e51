package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.Message.Failures.Count;
import dev.switchboard.protocol.Message.Failures.Kind;
import dev.switchboard.time.ManualScheduler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinRateLimiterTest {
  private static final InetAddress A = address("127.0.0.10");
  private static final InetAddress B = address("127.0.0.11");
  private static final byte[] T1 = cert("t1");
  private static final byte[] T2 = cert("t2");
  private final ManualScheduler time = new ManualScheduler();

  private JoinRateLimiter limiter(int perAddress, int perCert, int perBroker, int inFlight) {
    return new JoinRateLimiter(
        time.clock(), new JoinRateLimiter.Limits(perAddress, perCert, perBroker, inFlight));
  }

  private static boolean fail(JoinRateLimiter l, InetAddress a, byte[] cert) {
    JoinRateLimiter.Admission admitted = l.admit(a, cert);
    if (admitted != null) {
      admitted.failed();
    }
    return admitted != null;
  }

  private static boolean allows(JoinRateLimiter l, InetAddress a, byte[] cert) {
    JoinRateLimiter.Admission admitted = l.admit(a, cert);
    if (admitted != null) {
      admitted.succeeded();
    }
    return admitted != null;
  }

  @Test
  void anAddressIsRefusedAfterItsFailuresPerMinuteOthersAreNot() {
    JoinRateLimiter limiter = limiter(3, 100, 100, 100);
    for (int i = 0; i < 2; i++) {
      assertThat(fail(limiter, A, cert("c" + i))).isTrue();
    }
    assertThat(allows(limiter, A, T1)).as("after n-1 failures").isTrue();
    fail(limiter, A, T1);
    assertThat(allows(limiter, A, T2)).as("after n failures").isFalse();
    assertThat(allows(limiter, B, T2)).isTrue();
  }

  @Test
  void joinsInFlightTakeTheirTokensBeforeTheAnswerSoTheyCannotOverdraw() {
    JoinRateLimiter limiter = limiter(10, 1000, 1000, 1000);
    List<JoinRateLimiter.Admission> inFlight = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inFlight.add(limiter.admit(A, cert("c" + i)));
    }
    assertThat(inFlight).doesNotContainNull();
    assertThat(limiter.admit(A, T1)).as("the 11th join while 10 are unanswered").isNull();
    inFlight.forEach(JoinRateLimiter.Admission::failed);
    assertThat(limiter.admit(A, T1)).isNull();
  }

  @Test
  void aSuccessGivesItsTokensBack() {
    JoinRateLimiter limiter = limiter(1, 1, 1, 1);
    for (int i = 0; i < 100; i++) {
      assertThat(allows(limiter, A, T1)).isTrue();
    }
    JoinRateLimiter.Admission a = limiter.admit(A, T1);
    a.succeeded();
    a.failed();
    assertThat(allows(limiter, A, T1)).as("an admission settles once").isTrue();
  }

  @Test
  void joinsInFlightAreCappedPerAddressAndPerCertificate() {
    JoinRateLimiter limiter = limiter(100, 100, 100, 2);
    JoinRateLimiter.Admission first = limiter.admit(A, T1);
    assertThat(limiter.admit(A, T2)).isNotNull();
    assertThat(limiter.admit(A, cert("t3"))).as("third from one address").isNull();
    assertThat(limiter.admit(B, T1)).isNotNull();
    assertThat(limiter.admit(address("127.0.0.12"), T1)).as("third with one certificate").isNull();
    first.succeeded();
    assertThat(limiter.admit(A, cert("t3"))).isNotNull();
  }

  @Test
  void aCertificateIsLimitedWhateverAddressItComesFrom() {
    JoinRateLimiter limiter = limiter(100, 3, 100, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(fail(limiter, address("127.0.2." + i), T1)).isTrue();
    }
    assertThat(allows(limiter, address("127.0.2.99"), T1)).isFalse();
    assertThat(allows(limiter, address("127.0.2.99"), T2)).isTrue();
  }

  @Test
  void ipv6AddressesAreLimitedPerSlash64() {
    JoinRateLimiter limiter = limiter(2, 100, 100, 100);
    fail(limiter, address("2001:db8::1"), cert("a"));
    fail(limiter, address("2001:db8::ffff:1"), cert("b"));
    assertThat(allows(limiter, address("2001:db8::abcd:1234:5678:9"), cert("c"))).isFalse();
    assertThat(allows(limiter, address("2001:db8:0:1::1"), cert("c"))).as("next /64").isTrue();
  }

  @Test
  void aSpentBrokerBudgetRefusesOnlySourcesThatFailedRecently() {
    JoinRateLimiter limiter = limiter(10, 10, 4, 100);
    for (int i = 0; i < 4; i++) {
      fail(limiter, address("127.0.1." + i), cert("attacker" + i));
    }
    assertThat(allows(limiter, address("127.0.1.0"), cert("new"))).as("failed address").isFalse();
    assertThat(allows(limiter, A, cert("attacker0"))).as("failed certificate").isFalse();
    assertThat(allows(limiter, A, T1)).as("clean address and certificate").isTrue();
    // A clean source that then fails is refused like the others until its failure is a minute old.
    assertThat(fail(limiter, B, T2)).isTrue();
    assertThat(allows(limiter, B, cert("t3"))).isFalse();
    time.advance(Duration.ofSeconds(59));
    assertThat(allows(limiter, B, cert("t3"))).as("budget refilled a bit: any source").isTrue();
  }

  @Test
  void failedSourcesAreRefusedUntilTheBrokerBudgetHasATokenAgain() {
    JoinRateLimiter limiter = limiter(10, 10, 60, 100);
    for (int i = 0; i < 60; i++) {
      fail(limiter, address("127.0.1." + i), cert("attacker" + i));
    }
    InetAddress failed = address("127.0.1.0");
    time.advance(Duration.ofSeconds(1).minusMillis(1));
    assertThat(allows(limiter, failed, cert("x"))).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(allows(limiter, failed, cert("x"))).isTrue();
  }

  @Test
  void theBucketRefillsContinuouslyOverAMinute() {
    JoinRateLimiter limiter = limiter(6, 100, 100, 100);
    for (int i = 0; i < 6; i++) {
      fail(limiter, A, T1);
    }
    assertThat(allows(limiter, A, T1)).isFalse();
    // 6 per minute: one token every 10 s.
    time.advance(Duration.ofSeconds(10).minusMillis(1));
    assertThat(allows(limiter, A, T1)).as("just before one token is back").isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(allows(limiter, A, T1)).as("one token back").isTrue();
    fail(limiter, A, T1);
    assertThat(allows(limiter, A, T1)).as("spent it again").isFalse();

    time.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 5; i++) {
      fail(limiter, A, T1);
    }
    assertThat(allows(limiter, A, T1)).as("a full bucket holds no more than its capacity").isTrue();
    fail(limiter, A, T1);
    assertThat(allows(limiter, A, T1)).isFalse();
  }

  @Test
  void aFloodOfDistinctSourcesKeepsTheStateBounded() {
    JoinRateLimiter limiter =
        new JoinRateLimiter(time.clock(), new JoinRateLimiter.Limits(10, 10, 1_000_000, 10), 50);
    for (int i = 0; i < 5000; i++) {
      fail(limiter, address("10.0." + (i >> 8) + "." + (i & 255)), cert("c" + i));
    }
    assertThat(limiter.tracked()).isLessThanOrEqualTo(100);
    // Once the failures are a minute old and the buckets full, the entries make room again.
    time.advance(Duration.ofMinutes(2));
    assertThat(fail(limiter, A, T1)).isTrue();
    assertThat(fail(limiter, A, T1)).isTrue();
    assertThat(limiter.tracked()).isLessThanOrEqualTo(100);
    for (int i = 0; i < 8; i++) {
      fail(limiter, A, T1);
    }
    assertThat(allows(limiter, A, T1)).as("the new entry is tracked and limited").isFalse();
  }

  @Test
  void failuresAPeerReportsAreChargedToTheSameSources() {
    JoinRateLimiter limiter = limiter(10, 10, 1000, 100);
    limiter.shareWith(2);
    byte[] t1 = fingerprint("t1");
    assertThat(limiter.charge(count(Kind.ADDRESS, A.getAddress(), 9))).isTrue();
    assertThat(fail(limiter, A, fingerprint("x"))).as("the 10th failure anywhere").isTrue();
    assertThat(allows(limiter, A, fingerprint("y"))).as("the 11th").isFalse();

    assertThat(limiter.charge(count(Kind.CERTIFICATE, t1, 10))).isTrue();
    assertThat(allows(limiter, B, t1)).as("a certificate that failed elsewhere").isFalse();
    assertThat(allows(limiter, B, fingerprint("t2"))).isTrue();
    assertThat(limiter.drainUnshared(100))
        .as("only local failures are reported on")
        .containsExactly(
            count(Kind.ADDRESS, A.getAddress(), 1), count(Kind.CERTIFICATE, fingerprint("x"), 1));
  }

  @Test
  void aPeerCanPutASourceIntoDebtOfAtMostOneBucketPerPeer() {
    JoinRateLimiter limiter = limiter(10, 1000, 1000, 100);
    limiter.shareWith(2);
    limiter.charge(count(Kind.ADDRESS, A.getAddress(), 65_535));
    // Floor at -20: 21 tokens (2 min 6 s at 10 a minute) until the next join is admitted.
    time.advance(Duration.ofMillis(125_999));
    assertThat(allows(limiter, A, fingerprint("t1"))).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(allows(limiter, A, fingerprint("t1"))).isTrue();
  }

  @Test
  void localFailuresAreReportedOnceOldestFirstAndOnlyInAMesh() {
    JoinRateLimiter alone = limiter(10, 10, 1000, 100);
    fail(alone, A, fingerprint("t1"));
    assertThat(alone.drainUnshared(100)).isEmpty();

    JoinRateLimiter limiter = limiter(10, 10, 1000, 100);
    limiter.shareWith(1);
    fail(limiter, A, fingerprint("t1"));
    fail(limiter, B, fingerprint("t1"));
    fail(limiter, A, fingerprint("t2"));
    assertThat(limiter.drainUnshared(3))
        .containsExactly(
            count(Kind.ADDRESS, A.getAddress(), 2),
            count(Kind.CERTIFICATE, fingerprint("t1"), 2),
            count(Kind.ADDRESS, B.getAddress(), 1));
    assertThat(limiter.drainUnshared(3))
        .containsExactly(count(Kind.CERTIFICATE, fingerprint("t2"), 1));
    assertThat(limiter.drainUnshared(3)).isEmpty();
  }

  @Test
  void peersReportsFillAtMostHalfTheTrackedSources() {
    JoinRateLimiter limiter =
        new JoinRateLimiter(time.clock(), new JoinRateLimiter.Limits(10, 10, 1000, 10), 50);
    limiter.shareWith(1);
    int charged = 0;
    for (int i = 0; i < 1000; i++) {
      byte[] ip = {10, 1, (byte) (i >> 8), (byte) i};
      charged += limiter.charge(count(Kind.ADDRESS, ip, 10)) ? 1 : 0;
    }
    assertThat(charged).isEqualTo(25);
    assertThat(fail(limiter, A, fingerprint("t1"))).as("local sources still tracked").isTrue();
    for (int i = 0; i < 9; i++) {
      fail(limiter, A, fingerprint("t1"));
    }
    assertThat(allows(limiter, A, fingerprint("t2"))).isFalse();
  }

  private static Count count(Kind kind, byte[] key, int failures) {
    return new Count(kind, key, failures);
  }

  /** A 32-byte stand-in for a certificate's SHA-256 fingerprint. */
  private static byte[] fingerprint(String name) {
    return Arrays.copyOf(cert(name), 32);
  }

  private static byte[] cert(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
