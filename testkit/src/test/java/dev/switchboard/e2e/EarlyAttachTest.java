package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.Ticket;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redirected controller whose ATTACH reaches the joining broker before the owner's CLAIM_RESULT
 * (the owner redirects it first, then answers): the target still hears JOINED before SESSION_START.
 * The owner is a scripted mesh peer, so the test decides that the attach comes first.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EarlyAttachTest {
  private static final long PATIENCE_S = 30;
  private static final String OWNER = "broker-owner";
  private static final String CODE = "ABCDE-FGHJK";
  // The broken ordering was a race between two event loops; several sessions give it room to show.
  private static final int SESSIONS = 20;
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  final ExecutorService pool = Executors.newCachedThreadPool();
  TestPki pki;
  TlsMaterial ownerTls;
  ScriptedMeshPeer owner;
  Broker joining;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    ownerTls = pki.broker(OWNER);
    owner = ScriptedMeshPeer.start(ownerTls, pool);
    PeerConfig peer =
        new PeerConfig(OWNER, "localhost", new HostPort("127.0.0.1", 1), owner.address());
    joining =
        started.broker(
            TestBrokers.config(pki, "broker-joining")
                .withRateLimits(1000, 1000)
                .withMesh(new HostPort("127.0.0.1", 0), List.of(peer)),
            Clock.systemUTC());
    await("mesh link to the scripted owner")
        .atMost(Duration.ofSeconds(PATIENCE_S))
        .until(joining::meshLinksUp);
  }

  @AfterEach
  void stop() throws Exception {
    owner.close();
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anAttachBeforeTheClaimAnswerStillLetsTheTargetHearJoinedFirst() throws Exception {
    TlsMaterial aliceTls = pki.controller("alice");
    ClientOptions alice = ClientOptions.of(aliceTls);
    ClientOptions mallory =
        pki.controllerOptions("mallory").withBindAddress(InetAddress.getByName("127.0.4.1"));
    byte[] aliceFingerprint =
        MessageDigest.getInstance("SHA-256").digest(aliceTls.certificate().getEncoded());
    for (int i = 0; i < SESSIONS; i++) {
      oneSession(i, alice, aliceFingerprint, mallory);
    }
  }

  private void oneSession(int n, ClientOptions alice, byte[] aliceFingerprint, ClientOptions probe)
      throws Exception {
    BrokerEndpoint b = TestBrokers.endpoint(joining);
    List<String> heard = new CopyOnWriteArrayList<>();
    SessionEvents events =
        new SessionEvents() {
          @Override
          public void joined(String sessionId) {
            heard.add("JOINED");
          }

          @Override
          public void sessionStarted(Session session) {
            heard.add("SESSION_START");
          }
        };
    BrokerConnection targetConn = BrokerConnection.open(pki.targetOptions("t" + n), b);
    CompletableFuture<Session> target =
        CompletableFuture.supplyAsync(() -> join(targetConn, events), pool);
    Message.Claim claim = owner.nextClaim(PATIENCE_S);
    assertThat(claim.claimantBrokerId()).isEqualTo("broker-joining");

    // The owner redirects the controller first (its ticket), and answers the claim later.
    byte[] ticketId = new byte[16];
    ticketId[0] = (byte) n;
    ticketId[1] = 42;
    Ticket ticket =
        Ticket.issue(
            ticketId,
            claim.sessionId(),
            OWNER,
            "broker-joining",
            aliceFingerprint,
            System.currentTimeMillis() + 30_000,
            ownerTls.privateKey());
    try (BrokerConnection controller = BrokerConnection.open(alice, b)) {
      controller.send(new Message.Attach(ticket.toBytes()));
      // The broker has taken the ticket (so the attach waits for the claim answer) once another
      // controller's try with it is refused as a replay, not as bound to someone else.
      await("the broker took the ticket")
          .atMost(Duration.ofSeconds(PATIENCE_S))
          .until(() -> attach(probe, b, ticket), c -> c == ErrorCode.TICKET_REPLAYED);
      assertThat(heard).as("nothing reaches the target before the claim answer").isEmpty();

      owner.send(
          new Message.ClaimResult(claim.requestId(), null, ticketId, aliceFingerprint, "alice"));

      assertThat(controller.read()).isInstanceOf(Message.SessionStart.class);
      try (Session t = target.get(PATIENCE_S, TimeUnit.SECONDS)) {
        assertThat(heard).as("session %d", n).containsExactly("JOINED", "SESSION_START");
        controller.send(new Message.Data(new byte[] {1, 2, 3}));
        assertThat(t.input().readNBytes(3)).containsExactly(1, 2, 3);
        t.output().write(new byte[] {4, 5});
        t.output().flush();
        Message back = controller.read();
        while (back instanceof Message.Credential || back instanceof Message.Ack) {
          back = controller.read(); // the relay's own frames around the data
        }
        assertThat(back).isInstanceOf(Message.Data.class);
        assertThat(((Message.Data) back).bytes()).containsExactly(4, 5);
      }
    }
  }

  private static Session join(BrokerConnection c, SessionEvents events) {
    try {
      return Target.joinOn(c, CODE, events);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static ErrorCode attach(ClientOptions opts, BrokerEndpoint b, Ticket ticket)
      throws IOException {
    try (BrokerConnection c = BrokerConnection.open(opts, b)) {
      c.send(new Message.Attach(ticket.toBytes()));
      Message m = c.read();
      throw new AssertionError("the probe's attach was accepted: " + m);
    } catch (RefusedException e) {
      return e.code();
    }
  }
}
