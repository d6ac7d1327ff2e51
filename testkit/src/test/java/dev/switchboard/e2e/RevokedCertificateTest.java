package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.pki.CredentialException;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.LegitSession;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A revoked certificate is refused right after the handshake, and revoking needs no restart. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RevokedCertificateTest {
  @TempDir Path dir;
  @TempDir Path otherDir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void revokedControllerIsRefusedAndARevocationWhileRunningTakesEffect() throws Exception {
    TestPki pki = TestPki.create(dir);
    TlsMaterial mallory = pki.controller("mallory");
    TlsMaterial alice = pki.controller("alice");
    TlsMaterial bob = pki.controller("bob");
    Path crl = pki.ca().revoke(mallory.certificate().getSerialNumber(), 1);
    Broker broker = started.broker(config(pki, "broker-crl-1", crl), Clock.systemUTC());
    BrokerEndpoint endpoint = TestBrokers.endpoint(broker);

    try (SSLSocket knocking = open(broker, mallory)) {
      LegitSession.assertWorks(pki, broker);
      assertRefusedAsRevoked(knocking);
    }
    assertThatThrownBy(() -> BrokerConnection.open(ClientOptions.of(mallory), endpoint))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CERT_REVOKED));
    try (BrokerConnection c = BrokerConnection.open(ClientOptions.of(alice), endpoint)) {
      assertThat(c.ping()).isPositive();
    }
    try (BrokerConnection c = BrokerConnection.open(ClientOptions.of(bob), endpoint)) {
      assertThat(c.ping()).isPositive();
    }

    pki.ca().revoke(bob.certificate().getSerialNumber(), 0);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> firstReply(broker, bob) instanceof Message.Error);
    assertRefusedAsRevoked(broker, bob);
    assertRefusedAsRevoked(broker, mallory);
    try (BrokerConnection c = BrokerConnection.open(ClientOptions.of(alice), endpoint)) {
      assertThat(c.ping()).isPositive();
    }
  }

  @Test
  void aRevokedBrokerIsRefusedOnTheMeshPort() throws Exception {
    TestPki pki = TestPki.create(dir);
    TlsMaterial rogue = pki.broker("broker-rogue");
    Path crl = pki.ca().revoke(rogue.certificate().getSerialNumber(), 1);
    BrokerConfig cfg =
        config(pki, "broker-crl-3", crl)
            .withMesh(new HostPort("127.0.0.1", 0), java.util.List.of());
    Broker broker = started.broker(cfg, Clock.systemUTC());

    try (SSLSocket s =
        open(
            rogue,
            broker.meshAddress().getAddress().getHostAddress(),
            broker.meshAddress().getPort())) {
      Message m = StreamFrames.read(new DataInputStream(s.getInputStream()));
      assertThat(m).isInstanceOf(Message.Error.class);
      assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.CERT_REVOKED);
    }
  }

  @Test
  void aListSignedByAnotherCaStopsTheStartNamingTheFile() throws Exception {
    TestPki pki = TestPki.create(dir);
    TestPki other = TestPki.create(otherDir);
    Path foreign =
        other
            .ca()
            .revoke(other.ca().issue(Role.CONTROLLER, "x").certificate().getSerialNumber(), 0);
    BrokerConfig cfg = config(pki, "broker-crl-2", foreign);

    assertThatThrownBy(() -> started.broker(cfg, Clock.systemUTC()))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining(foreign.toString())
        .hasMessageContaining("not signed by the CA");
  }

  private static BrokerConfig config(TestPki pki, String id, Path crl) throws IOException {
    return TestBrokers.config(pki, id).withCrl(crl);
  }

  private static void assertRefusedAsRevoked(Broker broker, TlsMaterial who) throws Exception {
    try (SSLSocket s = open(broker, who)) {
      assertRefusedAsRevoked(s);
    }
  }

  /** The broker's answer on a connection made with a revoked certificate: the refusal, closed. */
  private static void assertRefusedAsRevoked(SSLSocket s) throws Exception {
    DataInputStream in = new DataInputStream(s.getInputStream());
    Message m = StreamFrames.read(in);
    assertThat(m).isInstanceOf(Message.Error.class);
    assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.CERT_REVOKED);
    try {
      assertThat(in.read()).isEqualTo(-1);
    } catch (SSLException | SocketException e) {
      // closed hard: also fine
    }
  }

  /** HELLO_OK while the certificate is accepted, the refusal once it is revoked. */
  private static Message firstReply(Broker broker, TlsMaterial who) throws Exception {
    try (SSLSocket s = open(broker, who)) {
      s.getOutputStream()
          .write(StreamFrames.encode(new Message.Hello(Frames.VERSION, Frames.VERSION, "probe")));
      return StreamFrames.read(new DataInputStream(s.getInputStream()));
    }
  }

  private static SSLSocket open(Broker broker, TlsMaterial who) throws Exception {
    return open(who, "127.0.0.1", broker.clientPort());
  }

  private static SSLSocket open(TlsMaterial who, String host, int port) throws Exception {
    SSLSocket s =
        (SSLSocket) ClientOptions.of(who).sslContext().getSocketFactory().createSocket(host, port);
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    s.setSSLParameters(p);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }
}
