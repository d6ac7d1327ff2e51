package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ResumeCredential;
import dev.switchboard.protocol.ResumeCredential.Side;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody resumes a session with a credential that is not theirs, forged, superseded, or past the
 * resume window: each refusal has its code and a sentence.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionResumeRefusalTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  TestPki pki;
  Broker broker;
  TlsMaterial brokerTls;
  TlsMaterial aliceTls;
  TlsMaterial t1Tls;
  ClientOptions alice;
  ClientOptions t1;
  BrokerEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    broker =
        started.broker(
            TestBrokers.config(pki, "b1").withResumeWindow(Duration.ofSeconds(3)),
            Clock.systemUTC());
    brokerTls = TlsMaterial.load(pki.caFile(), pki.certFile("b1"), pki.keyFile("b1"));
    aliceTls = pki.controller("alice");
    t1Tls = pki.target("t1");
    alice = ClientOptions.of(aliceTls);
    t1 = ClientOptions.of(t1Tls);
    endpoint = TestBrokers.endpoint(broker);
  }

  @Test
  void theOtherSidesCredentialIsRefused() throws Exception {
    SessionHarness s = session();
    byte[] aliceCredential = credential(s.controller.id(), Side.CONTROLLER, 1, aliceTls, t1Tls);
    assertThat(resume(t1, aliceCredential))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_INVALID))
        .satisfies(e -> assertThat(e.getMessage()).contains("issued to another certificate"));
    assertThat(s.controller.generation()).as("the live session is untouched").isEqualTo(1);
    s.controller.close();
    s.target.close();
  }

  @Test
  void aCredentialNotSignedByABrokerIsRefused() throws Exception {
    SessionHarness s = session();
    byte[] forged =
        signed(s.controller.id(), Side.CONTROLLER, 1, aliceTls, t1Tls, aliceTls, 60_000);
    assertThat(resume(alice, forged))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_INVALID))
        .satisfies(e -> assertThat(e.getMessage()).contains("not broker alice's"));
    s.controller.close();
    s.target.close();
  }

  @Test
  void aStaleCredentialIsRefusedAfterTheSessionMoved() throws Exception {
    SessionHarness s = session();
    SingleBrokerSessionTest.killSocket(s.target); // both sides resume: generation 2
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> s.target.generation() == 2);
    byte[] old = credential(s.controller.id(), Side.CONTROLLER, 1, aliceTls, t1Tls);
    assertThat(resume(alice, old))
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_STALE))
        .satisfies(e -> assertThat(e.getMessage()).contains("generation 2"));
    s.controller.close();
    s.target.close();
  }

  @Test
  void anExpiredCredentialIsRefused() throws Exception {
    SessionHarness s = session();
    byte[] late = signed(s.controller.id(), Side.CONTROLLER, 1, aliceTls, t1Tls, brokerTls, -1);
    assertThat(resume(alice, late).code()).isEqualTo(ErrorCode.RESUME_EXPIRED);
    s.controller.close();
    s.target.close();
  }

  @Test
  void aSideThatNeverComesBackEndsTheSessionAfterTheWindowAndLateResumesAreRefused()
      throws Exception {
    try (TcpSwitch targetPath =
        new TcpSwitch(new InetSocketAddress("127.0.0.1", broker.clientPort()))) {
      BrokerEndpoint viaSwitch =
          new BrokerEndpoint(
              "b1", "localhost", new InetSocketAddress("127.0.0.1", targetPath.port()));
      SessionHarness s = SessionHarness.connect(alice, endpoint, t1, List.of(viaSwitch));
      targetPath.close(); // the target's network is gone for good
      assertThatThrownBy(() -> s.controller.input().read())
          .isInstanceOf(RefusedException.class)
          .satisfies(
              e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.RESUME_EXPIRED))
          .hasMessageContaining("did not resume within 3s");
      assertThatThrownBy(() -> s.target.input().read())
          .isInstanceOf(RefusedException.class)
          .satisfies(
              e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.RESUME_EXPIRED));
      byte[] late = credential(s.target.id(), Side.TARGET, 1, t1Tls, aliceTls);
      assertThat(resume(t1, late))
          .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.RESUME_EXPIRED))
          .satisfies(e -> assertThat(e.getMessage()).contains("ended for good"));
      assertThat(broker.metricsText()).contains("reason=\"resume_expired\"");
    }
  }

  private SessionHarness session() throws Exception {
    return SessionHarness.connect(alice, endpoint, t1, List.of(endpoint));
  }

  /** A credential as broker b1 would issue it (b1's key and certificate). */
  private byte[] credential(
      String sessionId, Side side, int generation, TlsMaterial holder, TlsMaterial peer)
      throws Exception {
    return signed(sessionId, side, generation, holder, peer, brokerTls, 60_000);
  }

  /** A credential signed by {@code issuer}, naming it, valid for {@code validMillis} from now. */
  private static byte[] signed(
      String sessionId,
      Side side,
      int generation,
      TlsMaterial holder,
      TlsMaterial peer,
      TlsMaterial issuer,
      long validMillis)
      throws Exception {
    ResumeCredential.Body body =
        new ResumeCredential.Body(
            sessionId,
            side,
            generation,
            fingerprint(holder),
            fingerprint(peer),
            "peer",
            dev.switchboard.pki.Roles.nameOf(issuer.certificate()),
            issuer.certificate().getEncoded(),
            System.currentTimeMillis() + validMillis);
    return ResumeCredential.issue(body, issuer.privateKey()).toBytes();
  }

  private RefusedException resume(ClientOptions who, byte[] credential) throws IOException {
    try (BrokerConnection c =
        BrokerConnection.open(who, endpoint, new Message.Resume(credential, 0, false), null)) {
      Message m = c.read();
      throw new AssertionError("resumption was not refused: " + m);
    } catch (RefusedException e) {
      return e;
    }
  }

  private static byte[] fingerprint(TlsMaterial m) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(m.certificate().getEncoded());
  }
}
