package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Pem;
import dev.switchboard.pki.Role;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.Ticket;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.topology.Topology;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The seed's six-step flow across four brokers in two regions with simulated latency. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeshSessionTest {
  @TempDir static Path dir;
  @RegisterExtension static final TestResources started = new TestResources();
  LocalTopology net;
  ClientOptions alice;
  ClientOptions t1;

  @BeforeAll
  void start() throws Exception {
    net =
        started.topology(
            Topology.load(Path.of("..", "examples", "seed-topology.yaml")),
            dir,
            LocalTopology.Options.direct(201));
    alice = net.client(Role.CONTROLLER, "alice");
    t1 = net.client(Role.TARGET, "t1");
  }

  @Test
  void targetInIndiaPicksAnIndiaBrokerAndTheControllerIsRedirectedThere() throws Exception {
    Recorder steps = new Recorder();
    Controller c =
        Controller.requestCode(alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), steps);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session t = Target.join(t1, net.endpoints("in"), c.code(), steps);
    Session ctl = cs.get();
    assertThat(t.brokerId()).isIn("broker-in-3", "broker-in-4");
    assertThat(ctl.brokerId()).isEqualTo(t.brokerId());
    assertThat(steps.chosen.servedBy()).isEqualTo(t.brokerId());
    assertThat(steps.events)
        .containsSubsequence("code", "probed", "chose", "join", "redirected", "attached");
    for (ProbeResult r : steps.probed) {
      boolean local = r.endpoint().id().startsWith("broker-in");
      assertThat(r.medianMs())
          .as(r.toString())
          .isBetween(local ? 10.0 : 160.0, local ? 60.0 : 230.0);
    }
    exchange(ctl, t);
  }

  @Test
  void targetInUsPicksAUsBroker() throws Exception {
    Recorder steps = new Recorder();
    Controller c =
        Controller.requestCode(alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), steps);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session t = Target.join(t1, net.endpoints("us"), c.code(), steps);
    assertThat(t.brokerId()).startsWith("broker-us");
    exchange(cs.get(), t);
    if (t.brokerId().equals("broker-us-1")) {
      assertThat(steps.events).doesNotContain("redirected");
    }
  }

  @Test
  void sameBrokerMeansNoRedirect() throws Exception {
    Recorder steps = new Recorder();
    Controller c =
        Controller.requestCode(alice, net.endpoint("in", "broker-in-3"), net.resolver("in"), steps);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session t = Target.join(t1, List.of(net.endpoint("in", "broker-in-3")), c.code(), steps);
    exchange(cs.get(), t);
    assertThat(steps.events).doesNotContain("redirected");
  }

  @Test
  void aStoppedBrokerIsSkippedAndTheNextBestChosen() throws Exception {
    net.stopBroker("broker-in-3");
    try {
      Recorder steps = new Recorder();
      Controller c =
          Controller.requestCode(
              alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), steps);
      CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
      Session t = Target.join(t1, net.endpoints("in"), c.code(), steps);
      assertThat(t.brokerId()).isEqualTo("broker-in-4");
      assertThat(steps.probed)
          .filteredOn(r -> r.endpoint().id().equals("broker-in-3"))
          .allMatch(r -> !r.reachable());
      exchange(cs.get(), t);
    } finally {
      net.startBroker("broker-in-3");
    }
  }

  @Test
  void racingJoinsWithOneCodeHaveExactlyOneWinner() throws Exception {
    Controller c =
        Controller.requestCode(
            alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    ClientOptions t2 = net.client(Role.TARGET, "t2");
    CompletableFuture<Object> a =
        Blocking.supply(() -> joinOrError(t1, net.endpoint("in", "broker-in-3"), c.code()));
    CompletableFuture<Object> b =
        Blocking.supply(() -> joinOrError(t2, net.endpoint("in", "broker-in-4"), c.code()));
    List<Object> outcomes = List.of(a.get(), b.get());
    assertThat(outcomes).filteredOn(o -> o instanceof Session).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> o instanceof RefusedException r && r.code() == ErrorCode.CODE_UNKNOWN)
        .hasSize(1);
    Session winner =
        (Session) outcomes.stream().filter(o -> o instanceof Session).findFirst().orElseThrow();
    exchange(cs.get(), winner);
  }

  @Test
  void ticketsAreSingleUseBoundToTheControllerAndSigned() throws Exception {
    // Drive the controller by hand to get hold of its ticket.
    BrokerConnection ctl = BrokerConnection.open(alice, net.endpoint("us", "broker-us-1"));
    ctl.send(new Message.CodeRequest());
    String code = ((Message.Code) ctl.read()).code();
    CompletableFuture<Session> target =
        Blocking.supply(
            () -> {
              try {
                return Target.join(
                    t1, List.of(net.endpoint("in", "broker-in-3")), code, SessionEvents.NONE);
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    Message.Redirect r = (Message.Redirect) ctl.read();
    assertThat(r.brokerId()).isEqualTo("broker-in-3");
    assertThat(r.host()).isEqualTo("broker-in-3.company.com");
    BrokerEndpoint b3 = net.endpoint("us", "broker-in-3");

    byte[] forged = r.ticket().clone();
    forged[forged.length - 5] ^= 1; // inside the signature
    assertThat(attach(alice, b3, forged)).isEqualTo(ErrorCode.TICKET_INVALID);
    assertThat(attach(net.client(Role.CONTROLLER, "mallory"), b3, r.ticket()))
        .isEqualTo(ErrorCode.TICKET_WRONG_CONTROLLER);

    // Another configured peer (broker-in-4) mints a ticket for this pending session, bound to a
    // controller of its choosing: correctly signed by a mesh member, but not the ticket the code's
    // owner issued, so broker-in-3 refuses it and keeps the target for alice.
    ClientOptions mallory = net.client(Role.CONTROLLER, "mallory");
    byte[] malloryFingerprint =
        MessageDigest.getInstance("SHA-256")
            .digest(Pem.readCertificates(net.pkiDir().resolve("mallory.pem")).get(0).getEncoded());
    byte[] mintedId = new byte[16];
    Arrays.fill(mintedId, (byte) 7);
    Ticket minted =
        Ticket.issue(
            mintedId,
            Ticket.parse(r.ticket()).sessionId(),
            "broker-in-4",
            "broker-in-3",
            malloryFingerprint,
            System.currentTimeMillis() + 10_000,
            Pem.readPrivateKey(net.pkiDir().resolve("broker-in-4-key.pem")));
    assertThat(attach(mallory, b3, minted.toBytes())).isEqualTo(ErrorCode.TICKET_INVALID);

    BrokerConnection good = BrokerConnection.open(alice, b3);
    good.send(new Message.Attach(r.ticket()));
    assertThat(good.read()).isInstanceOf(Message.SessionStart.class);
    assertThat(target.get().peerName()).isEqualTo("alice");
    assertThat(attach(alice, b3, r.ticket())).isEqualTo(ErrorCode.TICKET_REPLAYED);

    // A correctly signed ticket that has expired: signed with broker-us-1's own key.
    CertificateAuthority ca = CertificateAuthority.load(net.pkiDir());
    assertThat(ca).isNotNull();
    Ticket parsed = Ticket.parse(r.ticket());
    Ticket expired =
        Ticket.issue(
            new byte[16],
            parsed.sessionId(),
            "broker-us-1",
            "broker-in-3",
            parsed.controllerFingerprint(),
            System.currentTimeMillis() - 1000,
            Pem.readPrivateKey(net.pkiDir().resolve("broker-us-1-key.pem")));
    assertThat(attach(alice, b3, expired.toBytes())).isEqualTo(ErrorCode.TICKET_EXPIRED);
    target.get().close();
    good.close();
    ctl.close();
  }

  @Test
  void aDeadMeshPeerDoesNotBreakSessionsBetweenLiveBrokers() throws Exception {
    net.stopBroker("broker-us-2");
    try {
      Controller c =
          Controller.requestCode(
              alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), SessionEvents.NONE);
      CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
      Session t =
          Target.join(t1, List.of(net.endpoint("in", "broker-in-4")), c.code(), SessionEvents.NONE);
      exchange(cs.get(), t);
    } finally {
      net.startBroker("broker-us-2");
    }
  }

  @Test
  void theOwningBrokerDyingWhileTheControllerWaitsIsAClearError() throws Exception {
    Controller c =
        Controller.requestCode(
            alice, net.endpoint("us", "broker-us-2"), net.resolver("us"), SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    net.stopBroker("broker-us-2");
    try {
      assertThatThrownBy(cs::get)
          .hasMessageContaining("broker-us-2")
          .hasMessageContaining("waiting for the target");
    } finally {
      net.startBroker("broker-us-2");
    }
  }

  @Test
  void theMeshPortRefusesClientCertificates() throws Exception {
    var mesh = net.broker("broker-in-4").meshAddress();
    BrokerEndpoint asMesh = new BrokerEndpoint("mesh", "broker-in-4.company.com", mesh);
    assertThatThrownBy(() -> BrokerConnection.open(alice, asMesh))
        .isInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.WRONG_ROLE));
  }

  private static ErrorCode attach(ClientOptions who, BrokerEndpoint at, byte[] ticket)
      throws IOException {
    try (BrokerConnection c = BrokerConnection.open(who, at)) {
      c.send(new Message.Attach(ticket));
      c.read();
      return null;
    } catch (RefusedException e) {
      return e.code();
    }
  }

  private static Object joinOrError(ClientOptions t, BrokerEndpoint at, String code) {
    try {
      return Target.join(t, List.of(at), code, SessionEvents.NONE);
    } catch (IOException e) {
      return e;
    }
  }

  static void exchange(Session ctl, Session t) throws IOException {
    byte[] ping = "hello from the controller".getBytes();
    byte[] pong = "hello from the target".getBytes();
    ctl.output().write(ping);
    ctl.output().flush();
    t.output().write(pong);
    t.output().flush();
    byte[] a = new byte[ping.length];
    byte[] b = new byte[pong.length];
    new DataInputStream(t.input()).readFully(a);
    new DataInputStream(ctl.input()).readFully(b);
    assertThat(a).isEqualTo(ping);
    assertThat(b).isEqualTo(pong);
    ctl.close();
    t.close();
  }

  static final class Recorder implements SessionEvents {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    volatile List<ProbeResult> probed = List.of();
    volatile ProbeResult chosen;

    @Override
    public void codeIssued(String code, String brokerId) {
      events.add("code");
    }

    @Override
    public void probed(List<ProbeResult> results) {
      probed = results;
      events.add("probed");
    }

    @Override
    public void chose(ProbeResult winner) {
      chosen = winner;
      events.add("chose");
    }

    @Override
    public void joinSent(String brokerId) {
      events.add("join");
    }

    @Override
    public void joined(String sessionId) {
      events.add("joined");
    }

    @Override
    public void redirected(String brokerId, String host, int port) {
      events.add("redirected");
    }

    @Override
    public void attached(String brokerId) {
      events.add("attached");
    }
  }
}
