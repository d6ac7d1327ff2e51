package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.time.ManualScheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guesser who spreads wrong codes over every broker of a mesh meets one limit: the brokers share
 * their failed joins (FAILURES), and a legitimate target from another address still joins.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MeshFailureSharingTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String WRONG = "ABCDE-FGHJK";
  private static final int LIMIT = 10;
  private static final int BROKERS = 3;
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  TestPki pki;
  // Token buckets do not refill while the test runs; sharing and timeouts run on real time.
  final ManualScheduler time = new ManualScheduler(Instant.now());
  final List<Broker> brokers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
  }

  @Test
  void wrongCodesFromOneAddressRoundRobinOverTheMeshMeetTheAddressLimit() throws Exception {
    startMesh(LIMIT, 1000);
    ClientOptions guesser = pki.targetOptions("guesser");
    int evaluated =
        guessRoundRobin(i -> from(guesser, "127.0.5.10"), "address", 3 * LIMIT + BROKERS);
    assertThat(evaluated).as("wrong codes evaluated across the mesh").isEqualTo(LIMIT);
    legitimateSessionFrom("127.0.5.20");
  }

  @Test
  void wrongCodesWithOneCertificateFromManyAddressesMeetTheCertificateLimit() throws Exception {
    startMesh(1000, LIMIT);
    ClientOptions guesser = pki.targetOptions("guesser");
    int evaluated =
        guessRoundRobin(i -> from(guesser, "127.0.6." + (1 + i)), "certificate", 3 * LIMIT + 3);
    assertThat(evaluated).as("wrong codes evaluated across the mesh").isEqualTo(LIMIT);
    legitimateSessionFrom("127.0.6.200");
  }

  private void startMesh(int perAddress, int perCertificate) throws Exception {
    List<BrokerConfig> configs = new ArrayList<>();
    for (int i = 1; i <= BROKERS; i++) {
      configs.add(
          TestBrokers.config(pki, "broker-share-" + i)
              .withRateLimits(perAddress, 1000)
              .withJoinLimits(perCertificate, 8)
              .withFailureSharingInterval(Duration.ofMillis(100)));
    }
    for (BrokerConfig c : TestBrokers.mesh(configs)) {
      brokers.add(started.broker(c, time.clock()));
    }
    await("mesh links up")
        .atMost(PATIENCE)
        .until(() -> brokers.stream().allMatch(Broker::meshLinksUp));
  }

  /**
   * Sends {@code attempts} wrong codes, each to the next broker in turn and each on a connection of
   * its own, and after each failure waits until every broker has heard of it (the paced guesser the
   * limit must hold against exactly). Returns how many were evaluated.
   */
  private int guessRoundRobin(IntFunction<ClientOptions> attempt, String kind, int attempts)
      throws Exception {
    int evaluated = 0;
    for (int i = 0; i < attempts; i++) {
      Broker b = brokers.get(i % BROKERS);
      ErrorCode answer = join(b, attempt.apply(i));
      assertThat(answer).isIn(ErrorCode.CODE_UNKNOWN, ErrorCode.RATE_LIMITED);
      if (answer == ErrorCode.CODE_UNKNOWN) {
        evaluated++;
        int expected = evaluated;
        await("every broker heard of failure " + expected)
            .atMost(PATIENCE)
            .until(() -> brokers.stream().allMatch(x -> heardOf(x, kind) == expected));
      }
    }
    long counted =
        brokers.stream().mapToLong(b -> metric(b, "switchboard_failed_joins_total{", "")).sum();
    assertThat(counted).as("failed joins counted by the brokers").isEqualTo(evaluated);
    return evaluated;
  }

  /** A controller on the first broker and a target from {@code address} on the last. */
  private void legitimateSessionFrom(String address) throws Exception {
    Controller c =
        Controller.requestCode(
            pki.controllerOptions("alice"),
            TestBrokers.endpoint(brokers.get(0)),
            (host, port) -> new InetSocketAddress("127.0.0.1", port),
            SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session t =
        Target.join(
            from(pki.targetOptions("t1"), address),
            List.of(TestBrokers.endpoint(brokers.get(BROKERS - 1))),
            c.code(),
            SessionEvents.NONE);
    Session ctl = cs.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(t.brokerId()).isEqualTo(brokers.get(BROKERS - 1).id());
    MeshSessionTest.exchange(ctl, t);
  }

  private static ClientOptions from(ClientOptions o, String address) {
    try {
      return o.withBindAddress(InetAddress.getByName(address));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ErrorCode join(Broker b, ClientOptions who) throws IOException {
    try (BrokerConnection c = BrokerConnection.open(who, TestBrokers.endpoint(b))) {
      c.send(new Message.Join(WRONG));
      Message m = c.read();
      throw new AssertionError("expected a refusal, got " + m);
    } catch (RefusedException e) {
      return e.code();
    }
  }

  /** Failures of this kind a broker knows of: its own and those its peers reported. */
  private static long heardOf(Broker b, String kind) {
    return metric(b, "switchboard_failed_joins_total{", "")
        + metric(b, "switchboard_mesh_failures_received_total{", "kind=\"" + kind + "\"");
  }

  private static long metric(Broker b, String prefix, String label) {
    return Math.round(
        b.metricsText()
            .lines()
            .filter(l -> l.startsWith(prefix) && l.contains(label))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum());
  }
}
