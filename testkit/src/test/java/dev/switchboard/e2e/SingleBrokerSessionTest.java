package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.time.ManualScheduler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SingleBrokerSessionTest {
  /** Asynchronous closes and probes on a loaded build machine: a bound, not a timing. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  TestPki pki;
  ManualScheduler time;
  Broker broker;
  BrokerEndpoint endpoint;
  ClientOptions alice;
  ClientOptions t1;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    time = new ManualScheduler(Instant.now());
    BrokerConfig cfg =
        TestBrokers.config(pki, "broker-test-1")
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(5));
    broker = started.broker(cfg, time.clock());
    endpoint = TestBrokers.endpoint(broker);
    alice = pki.controllerOptions("alice");
    t1 = pki.targetOptions("t1");
  }

  @Test
  void hundredMegabytesEachWayArriveIntact() throws Exception {
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    assertThat(s.controller.peerName()).isEqualTo("t1");
    assertThat(s.target.peerName()).isEqualTo("alice");
    long size = 100L * 1024 * 1024;
    CompletableFuture<byte[]> ctlSent = sendAsync(s.controller.output(), size, 1);
    CompletableFuture<byte[]> tgtSent = sendAsync(s.target.output(), size, 2);
    CompletableFuture<byte[]> tgtGot = readAllAsync(s.target.input(), size);
    CompletableFuture<byte[]> ctlGot = readAllAsync(s.controller.input(), size);
    assertThat(tgtGot.get()).isEqualTo(ctlSent.get());
    assertThat(ctlGot.get()).isEqualTo(tgtSent.get());
    s.controller.close();
    s.target.close();
  }

  @Test
  void slowReaderThrottlesTheWriterAndLosesNothing() throws Exception {
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    started.register(s.target);
    long size = 64L * 1024 * 1024;
    CountingOutput counted = new CountingOutput(s.controller.output());
    CompletableFuture<byte[]> sent = sendAsync(counted, size, 3);
    // The target reads nothing for a while: the writer must stall well short of the full amount.
    long stalledAt = waitUntilStalled(counted);
    assertThat(stalledAt).isLessThan(size / 2);
    // Then it reads everything, slowly at first: all bytes arrive, in order.
    CompletableFuture<byte[]> got =
        readAllAsync(new SlowInput(s.target.input(), 2 * 1024 * 1024), size);
    assertThat(got.get()).isEqualTo(sent.get());
    s.controller.close();
  }

  @Test
  void halfCloseIsPropagatedAndTheOtherDirectionKeepsFlowing() throws Exception {
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    started.register(s.controller);
    started.register(s.target);
    s.target.output().write("bye".getBytes());
    s.target.output().close();
    assertThat(s.controller.input().readAllBytes()).isEqualTo("bye".getBytes());
    s.controller.output().write("still here".getBytes());
    s.controller.output().flush();
    byte[] buf = new byte[10];
    new DataInputStream(s.target.input()).readFully(buf);
    assertThat(new String(buf)).isEqualTo("still here");
    s.controller.output().close();
    assertThat(s.target.input().read()).isEqualTo(-1);
  }

  @Test
  void closingOneSideEndsTheSessionForTheOther() throws Exception {
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    s.controller.close();
    assertThat(s.target.input().read()).isEqualTo(-1);
    Awaitility.await().atMost(PATIENCE).until(() -> broker.activeSessions() == 0);
    Awaitility.await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(broker.metricsText())
                    .contains("switchboard_connections_open{broker=\"broker-test-1\"} 0.0"));
  }

  @Test
  void aLostConnectionIsResumedAndTheSessionGoesOn() throws Exception {
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    started.register(s.controller);
    started.register(s.target);
    killSocket(s.target);
    s.controller.output().write("after the break".getBytes());
    s.controller.output().flush();
    byte[] buf = new byte[15];
    new DataInputStream(s.target.input()).readFully(buf);
    assertThat(new String(buf)).isEqualTo("after the break");
    assertThat(s.target.resumes()).isEqualTo(1);
    assertThat(s.controller.resumes()).isEqualTo(1);
    assertThat(s.target.generation()).isEqualTo(2);
  }

  @Test
  void anAbandonedSessionEndsAtTheIdleTimeoutForBothSides() throws Exception {
    broker.close();
    broker =
        started.broker(
            TestBrokers.config(pki, "broker-test-1")
                .withTimeouts(
                    Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMillis(300)),
            time.clock());
    endpoint = TestBrokers.endpoint(broker);
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    for (Session side : List.of(s.controller, s.target)) {
      assertThatThrownBy(() -> side.input().read())
          .isInstanceOf(RefusedException.class)
          .satisfies(
              e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.IDLE_TIMEOUT));
    }
    assertThat(broker.metricsText())
        .contains("reason=\"idle_timeout\"} 1.0")
        .contains("switchboard_session_duration_seconds_count{broker=\"broker-test-1\"} 1\n");
  }

  @Test
  void wrongCodeIsRefusedAndTheBrokerKeepsServing() throws Exception {
    Controller c = Controller.requestCode(alice, endpoint, Resolver.SYSTEM, SessionEvents.NONE);
    assertRefused(
        () -> Target.join(t1, List.of(endpoint), "ABCDE-FGHJK", SessionEvents.NONE),
        ErrorCode.CODE_UNKNOWN);
    assertRefused(
        () -> Target.join(t1, List.of(endpoint), "not a code", SessionEvents.NONE),
        ErrorCode.CODE_UNKNOWN);
    assertThat(c.code()).matches("[2-9A-Z]{5}-[2-9A-Z]{5}");
    CompletableFuture<Session> cs = Blocking.supply(() -> await(c));
    Session t =
        started.register(
            Target.join(t1, List.of(endpoint), c.code().toLowerCase(), SessionEvents.NONE));
    assertThat(started.register(cs.get()).id()).isEqualTo(t.id());
    assertThat(broker.metricsText())
        .contains(
            "switchboard_failed_joins_total{broker=\"broker-test-1\",reason=\"code_unknown\"} 2.0");
  }

  @Test
  void expiredCodeIsRefused() throws Exception {
    Controller early = Controller.requestCode(alice, endpoint, Resolver.SYSTEM, SessionEvents.NONE);
    Controller late =
        Controller.requestCode(
            pki.controllerOptions("bob"), endpoint, Resolver.SYSTEM, SessionEvents.NONE);
    time.advance(BrokerConfig.DEFAULT_CODE_TTL.minusMillis(1));
    CompletableFuture<Session> cs = Blocking.supply(() -> await(early));
    started.register(
        Target.join(
            t1, List.of(endpoint), early.code(), SessionEvents.NONE)); // 1 ms before expiry: fine
    assertThat(started.register(cs.get())).isNotNull();
    time.advance(Duration.ofMillis(1));
    // Told apart only in the broker's metrics: a guesser learns nothing from an expired code.
    assertRefused(
        () -> Target.join(t1, List.of(endpoint), late.code(), SessionEvents.NONE),
        ErrorCode.CODE_UNKNOWN);
    assertThat(broker.metricsText())
        .contains(
            "switchboard_failed_joins_total{broker=\"broker-test-1\",reason=\"code_expired\"} 1.0");
    late.close();
  }

  @Test
  void codeIsSingleUse() throws Exception {
    Controller c = Controller.requestCode(alice, endpoint, Resolver.SYSTEM, SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> await(c));
    Session first =
        started.register(Target.join(t1, List.of(endpoint), c.code(), SessionEvents.NONE));
    assertThat(started.register(cs.get()).id()).isEqualTo(first.id());
    assertRefused(
        () -> Target.join(pki.targetOptions("t2"), List.of(endpoint), c.code(), SessionEvents.NONE),
        ErrorCode.CODE_UNKNOWN);
    assertThat(broker.metricsText())
        .contains(
            "switchboard_failed_joins_total{broker=\"broker-test-1\",reason=\"code_used\"} 1.0");
  }

  @Test
  void repeatedFailuresFromOneAddressAreRateLimited() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertRefused(
          () -> Target.join(t1, List.of(endpoint), "ABCDE-FGHJK", SessionEvents.NONE),
          ErrorCode.CODE_UNKNOWN);
    }
    Controller c = Controller.requestCode(alice, endpoint, Resolver.SYSTEM, SessionEvents.NONE);
    assertRefused(
        () -> Target.join(t1, List.of(endpoint), c.code(), SessionEvents.NONE),
        ErrorCode.RATE_LIMITED);
    assertThat(broker.metricsText())
        .contains("switchboard_rate_limited_joins_total{broker=\"broker-test-1\"} 1.0");
    // A minute later the bucket has refilled and the right code works.
    time.advance(Duration.ofMinutes(1));
    CompletableFuture<Session> cs = Blocking.supply(() -> await(c));
    started.register(Target.join(t1, List.of(endpoint), c.code(), SessionEvents.NONE));
    assertThat(started.register(cs.get())).isNotNull();
  }

  @Test
  void onlyControllersGetCodesAndOnlyTargetsJoin() throws Exception {
    assertRefused(
        () -> Controller.requestCode(t1, endpoint, Resolver.SYSTEM, SessionEvents.NONE),
        ErrorCode.WRONG_ROLE);
    Controller c = Controller.requestCode(alice, endpoint, Resolver.SYSTEM, SessionEvents.NONE);
    assertRefused(
        () ->
            Target.join(
                pki.controllerOptions("mallory"), List.of(endpoint), c.code(), SessionEvents.NONE),
        ErrorCode.WRONG_ROLE);
    c.close();
  }

  @Test
  void sessionsAreCountedInMetrics() throws Exception {
    SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
    started.register(s.controller);
    started.register(s.target);
    s.controller.output().write(new byte[1000]);
    s.controller.output().flush();
    new DataInputStream(s.target.input()).readFully(new byte[1000]);
    String m = broker.metricsText();
    assertThat(m)
        .contains("switchboard_sessions_active{broker=\"broker-test-1\"} 1.0")
        .contains("switchboard_codes_issued_total{broker=\"broker-test-1\"} 1.0")
        .contains("switchboard_joins_total{broker=\"broker-test-1\"} 1.0");
    assertThat(bytesRelayed(m)).isGreaterThanOrEqualTo(1000);
  }

  static long bytesRelayed(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("switchboard_bytes_relayed_total{"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static Session await(Controller c) {
    try {
      return c.awaitSession();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  interface Call {
    Object call() throws Exception;
  }

  static void assertRefused(Call call, ErrorCode code) {
    assertThatThrownBy(call::call)
        .isInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(code));
  }

  static void killSocket(Session s) throws Exception {
    var f = Session.class.getDeclaredField("conn");
    f.setAccessible(true);
    ((BrokerConnection) f.get(s)).close();
  }

  static CompletableFuture<byte[]> sendAsync(OutputStream out, long size, long seed) {
    return Blocking.supply(
        () -> {
          try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Random r = new Random(seed);
            byte[] buf = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += buf.length) {
              r.nextBytes(buf);
              md.update(buf);
              out.write(buf);
            }
            out.flush();
            return md.digest();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  static CompletableFuture<byte[]> readAllAsync(InputStream in, long size) {
    return Blocking.supply(
        () -> {
          try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long got = 0;
            while (got < size) {
              int n = in.read(buf, 0, (int) Math.min(buf.length, size - got));
              if (n < 0) {
                throw new IllegalStateException(
                    "stream ended after " + got + " of " + size + " bytes");
              }
              md.update(buf, 0, n);
              got += n;
            }
            return md.digest();
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  /** Waits until the writer has made no progress for 100 ms; returns how far it got. */
  static long waitUntilStalled(CountingOutput out) {
    AtomicLong last = new AtomicLong(-1);
    Awaitility.await("the writer to stall")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long now = out.count;
              return now == last.getAndSet(now) && now > 0;
            });
    return last.get();
  }

  static final class CountingOutput extends OutputStream {
    final OutputStream out;
    volatile long count;

    CountingOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }

  /** Reads with pauses for the first {@code slowBytes}, like a congested client. */
  static final class SlowInput extends InputStream {
    final InputStream in;
    long slowLeft;

    SlowInput(InputStream in, long slowBytes) {
      this.in = in;
      this.slowLeft = slowBytes;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (slowLeft > 0) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        int n = in.read(b, off, Math.min(len, 4096));
        slowLeft -= Math.max(n, 0);
        return n;
      }
      return in.read(b, off, len);
    }
  }
}
