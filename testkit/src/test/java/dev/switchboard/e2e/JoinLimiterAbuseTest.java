package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.testkit.LegitSession;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.time.ManualScheduler;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guesser cannot get more wrong codes evaluated than the limits allow by sending them at once
 * over many connections while the mesh is slow to answer, and cannot lock clean targets out by
 * spending the broker-wide budget from other addresses.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JoinLimiterAbuseTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String WRONG = "ABCDE-FGHJK";
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  final ExecutorService pool = Executors.newCachedThreadPool();
  final List<Closeable> muteSockets = new ArrayList<>();
  TestPki pki;
  ManualScheduler time;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    // Token buckets do not refill while the test runs; protocol timeouts run on real time.
    time = new ManualScheduler(Instant.now());
  }

  @AfterEach
  void stopMutePeer() throws Exception {
    synchronized (muteSockets) {
      for (Closeable s : muteSockets) {
        s.close();
      }
    }
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void concurrentWrongCodesOverASlowMeshSpendNoMoreThanTheAddressLimit() throws Exception {
    Broker b = brokerWithMutePeer(TestBrokers.config(pki, "broker-lim-1").withJoinLimits(10, 100));
    List<ErrorCode> answers = wrongJoinsAtOnce(b, 30);
    assertThat(answers.stream().filter(c -> c == ErrorCode.RATE_LIMITED).count())
        .as("refused before evaluation")
        .isEqualTo(20);
    assertThat(failedJoins(b)).as("wrong codes evaluated").isEqualTo(10);
  }

  @Test
  void joinsInFlightFromOneAddressAreCapped() throws Exception {
    Broker b =
        brokerWithMutePeer(
            TestBrokers.config(pki, "broker-lim-2")
                .withRateLimits(100, 1000)
                .withJoinLimits(100, 2));
    List<ErrorCode> answers = wrongJoinsAtOnce(b, 10);
    assertThat(answers.stream().filter(c -> c == ErrorCode.RATE_LIMITED).count()).isEqualTo(8);
    assertThat(failedJoins(b)).isEqualTo(2);
  }

  @Test
  void aSpentBrokerBudgetStillLetsACleanTargetJoinWithTheRightCode() throws Exception {
    Broker b =
        started.broker(TestBrokers.config(pki, "broker-lim-3").withRateLimits(10, 5), time.clock());
    BrokerEndpoint endpoint = TestBrokers.endpoint(b);
    List<ClientOptions> spenders = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      spenders.add(pki.targetOptions("spender" + i));
      assertThat(joinFrom(b, "127.0.3." + (10 + i), spenders.get(i)))
          .isEqualTo(ErrorCode.CODE_UNKNOWN);
    }
    assertThat(joinFrom(b, "127.0.3.10", pki.targetOptions("fresh")))
        .as("failed address")
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(joinFrom(b, "127.0.3.99", spenders.get(0)))
        .as("failed certificate")
        .isEqualTo(ErrorCode.RATE_LIMITED);

    ClientOptions clean =
        pki.targetOptions("clean").withBindAddress(InetAddress.getByName("127.0.3.50"));
    SessionHarness s =
        SessionHarness.connect(pki.controllerOptions("alice"), endpoint, clean, List.of(endpoint));
    s.controller.output().write(new byte[] {1, 2, 3});
    s.controller.output().flush();
    assertThat(s.target.input().readNBytes(3)).containsExactly(1, 2, 3);
    s.controller.close();
    s.target.close();
    assertThat(b.metricsText())
        .contains("switchboard_rate_limited_joins_total{broker=\"broker-lim-3\"} 2.0");
  }

  /** The guesses below, with a clean target's session on the same broker meanwhile. */
  private List<ErrorCode> wrongJoinsAtOnce(Broker b, int n) throws Exception {
    // While the guesses wait for the mute peer, a clean target from another address joins.
    ClientOptions clean =
        pki.targetOptions("clean" + n).withBindAddress(InetAddress.getByName("127.0.4.1"));
    return wrongJoinsAtOnce(
        b, n, () -> LegitSession.assertWorks(pki.controllerOptions("alice"), clean, b));
  }

  interface Meanwhile {
    void run() throws Exception;
  }

  /**
   * Opens {@code n} connections from 127.0.0.1 with one certificate each, sends a wrong code on all
   * of them at once, runs {@code meanwhile} while they are open and collects the answers.
   */
  private List<ErrorCode> wrongJoinsAtOnce(Broker b, int n, Meanwhile meanwhile) throws Exception {
    BrokerEndpoint endpoint = TestBrokers.endpoint(b);
    List<BrokerConnection> conns = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        conns.add(BrokerConnection.open(pki.targetOptions("guesser" + i), endpoint));
      }
      for (BrokerConnection c : conns) {
        c.send(new Message.Join(WRONG));
      }
      meanwhile.run();
      List<CompletableFuture<ErrorCode>> answers = new ArrayList<>();
      for (BrokerConnection c : conns) {
        answers.add(CompletableFuture.supplyAsync(() -> refusal(c), pool));
      }
      List<ErrorCode> codes = new ArrayList<>();
      for (CompletableFuture<ErrorCode> a : answers) {
        codes.add(a.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      }
      return codes;
    } finally {
      conns.forEach(BrokerConnection::close);
    }
  }

  private ErrorCode joinFrom(Broker b, String address, ClientOptions cert) throws Exception {
    ClientOptions opts = cert.withBindAddress(InetAddress.getByName(address));
    try (BrokerConnection c = BrokerConnection.open(opts, TestBrokers.endpoint(b))) {
      c.send(new Message.Join(WRONG));
      return refusal(c);
    }
  }

  private static ErrorCode refusal(BrokerConnection c) {
    try {
      Message m = c.read();
      throw new AssertionError("expected a refusal, got " + m);
    } catch (RefusedException e) {
      return e.code();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long failedJoins(Broker b) {
    return Math.round(
        b.metricsText()
            .lines()
            .filter(l -> l.startsWith("switchboard_failed_joins_total{"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum());
  }

  /**
   * A broker whose only mesh peer completes TLS and then never answers: every claim waits for the
   * claim timeout, as with a paused peer.
   */
  private Broker brokerWithMutePeer(BrokerConfig cfg) throws Exception {
    TlsMaterial tls = pki.broker("broker-mute");
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        tls.keyManagerFactory().getKeyManagers(),
        tls.trustManagerFactory().getTrustManagers(),
        null);
    SSLServerSocket server =
        (SSLServerSocket)
            ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    synchronized (muteSockets) {
      muteSockets.add(server);
    }
    pool.execute(() -> acceptAndIgnore(server));
    PeerConfig mute =
        new PeerConfig(
            "broker-mute",
            "localhost",
            new HostPort("127.0.0.1", 1),
            new HostPort("127.0.0.1", server.getLocalPort()));
    Broker b =
        started.broker(cfg.withMesh(new HostPort("127.0.0.1", 0), List.of(mute)), time.clock());
    await("mesh link to the mute peer").atMost(PATIENCE).until(b::meshLinksUp);
    return b;
  }

  private void acceptAndIgnore(SSLServerSocket server) {
    while (!server.isClosed()) {
      try {
        SSLSocket s = (SSLSocket) server.accept();
        synchronized (muteSockets) {
          muteSockets.add(s);
        }
        pool.execute(() -> drain(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void drain(Socket s) {
    try (InputStream in = s.getInputStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // Closed by the test or the broker.
    }
  }
}
