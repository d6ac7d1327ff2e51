package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.Blocking;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One exit-code mapping for every command (docs/operations.md "Exit codes"). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExitCodeMappingTest {
  @TempDir Path dir;

  private Path brokerYaml(TestPki pki, String id, int clientPort) throws Exception {
    pki.broker(id);
    Path cfg = dir.resolve(id + ".yaml");
    Files.writeString(
        cfg,
        "id: "
            + id
            + "\nhostname: localhost\nlisten: {client: 127.0.0.1:"
            + clientPort
            + ", admin: 127.0.0.1:0}\ntls: {ca: "
            + pki.caFile()
            + ", cert: "
            + pki.certFile(id)
            + ", key: "
            + pki.keyFile(id)
            + "}\n");
    return cfg;
  }

  @Test
  void anAdminTokenFileOthersMayReadIsExitThreeNamingIt() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path token = dir.resolve("admin.token"); // the default: beside the config file
    Files.writeString(token, "0123456789abcdefghijklmnopqrstuvwxyz\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    RcCommandsTest.Run broker =
        new RcCommandsTest.Run("broker", "--config", brokerYaml(pki, "b1", 0).toString());
    assertThat(broker.exit()).as(broker.err.toString()).isEqualTo(3);
    assertThat(broker.err.toString())
        .startsWith("switchboard: " + token + ": ")
        .contains("rw-r--r--", "chmod 600")
        .doesNotContain("0123456789abcdef")
        .hasLineCount(1);
  }

  @Test
  void aPortInUseIsExitThreeWithOneLineFromBrokerLbAndUp() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      RcCommandsTest.Run broker =
          new RcCommandsTest.Run("broker", "--config", brokerYaml(pki, "b1", port).toString());
      assertThat(broker.exit()).as(broker.err.toString()).isEqualTo(3);
      assertThat(broker.err.toString())
          .startsWith("switchboard: ")
          .contains("client listener 127.0.0.1:" + port)
          .hasLineCount(1);

      Path lbYaml = dir.resolve("lb.yaml");
      Files.writeString(lbYaml, "admin: {address: 127.0.0.1, port: " + port + "}\n");
      RcCommandsTest.Run lb = new RcCommandsTest.Run("lb", "run", "--config", lbYaml.toString());
      assertThat(lb.exit()).as(lb.err.toString()).isEqualTo(3);
      assertThat(lb.err.toString()).startsWith("switchboard: ").hasLineCount(1);
    }
    String seed =
        Files.readString(Path.of("..", "examples", "seed-topology.yaml"))
            .replace("127.0.10", "127.0.97")
            .replace("127.0.11", "127.0.98")
            .replace("127.0.1.", "127.0.96.");
    Path topology = dir.resolve("topology.yaml");
    Files.writeString(topology, seed);
    try (ServerSocket taken = new ServerSocket(7443, 1, InetAddress.getByName("127.0.96.1"))) {
      RcCommandsTest.Run up =
          new RcCommandsTest.Run(
              "up",
              "--topology",
              topology.toString(),
              "--state-dir",
              dir.resolve("state").toString());
      assertThat(up.exit()).as(up.err.toString()).isEqualTo(3);
      assertThat(up.err.toString())
          .startsWith("switchboard: ")
          .containsOnlyOnce("switchboard:")
          .contains("127.0.96.1:7443")
          .hasLineCount(1);
    }
  }

  @Test
  void aBrokerRefusesAControllerCertificate() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    Path cfg = brokerYaml(pki, "b1", 0);
    pki.controller("alice");
    Files.writeString(
        cfg,
        Files.readString(cfg)
            .replace(pki.certFile("b1").toString(), pki.certFile("alice").toString())
            .replace(pki.keyFile("b1").toString(), pki.keyFile("alice").toString()));
    RcCommandsTest.Run r = new RcCommandsTest.Run("broker", "--config", cfg.toString());
    assertThat(r.exit()).as(r.err.toString()).isEqualTo(3);
    assertThat(r.err.toString())
        .contains(pki.certFile("alice").toString(), "has role controller")
        .hasLineCount(1);
    assertThat(r.out.toString()).doesNotContain("broker b1");
  }

  /**
   * A broker that cuts the TLS handshake (its handshake timeout, an overload) after the client's
   * first flight: with a reset the client saw {@code Broken pipe} or {@code Connection reset} and
   * exited 1 with only those words.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBrokerCuttingTheHandshakeIsANetworkErrorNamingTheBroker(boolean reset) throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CompletableFuture<Void> cut =
          Blocking.supply(
              () -> {
                try (Socket s = broker.accept()) {
                  s.getInputStream().read(new byte[512]); // part of the ClientHello
                  s.setSoLinger(reset, 0);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return null;
              });
      RcCommandsTest.Run ctl =
          new RcCommandsTest.Run(
              "controller",
              "--broker",
              "localhost:" + broker.getLocalPort(),
              "--pki",
              pki.dir().toString(),
              "--name",
              "alice",
              "--listen",
              "127.0.0.1:0");
      assertThat(ctl.exit()).as(ctl.err.toString()).isEqualTo(5);
      assertThat(ctl.err.toString())
          .startsWith("switchboard: ")
          .contains("localhost:" + broker.getLocalPort())
          .hasLineCount(1);
      if (reset) {
        assertThat(ctl.err.toString()).contains("closed the connection during the TLS handshake");
      }
      cut.get(30, TimeUnit.SECONDS);
    }
  }

  /** Starts a controller on {@code b}, returns it and the code it printed. */
  private static RcCommandsTest.Run controller(Broker b, TestPki pki) {
    return new RcCommandsTest.Run(
        "controller",
        "--broker",
        "localhost:" + b.clientPort(),
        "--pki",
        pki.dir().toString(),
        "--name",
        "alice",
        "--listen",
        "127.0.0.1:0");
  }

  private static RcCommandsTest.Run target(Broker b, TestPki pki, String code, String... bridge) {
    String[] base = {
      "target",
      "--broker",
      "localhost:" + b.clientPort(),
      "--pki",
      pki.dir().toString(),
      "--name",
      "t1",
      "--code",
      code
    };
    String[] all = new String[base.length + bridge.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(bridge, 0, all, base.length, bridge.length);
    return new RcCommandsTest.Run(all);
  }

  /**
   * A service the target cannot reach refuses that stream only: both sides say why, the session
   * goes on, and a controller stopped with Ctrl-C ends it cleanly (0 on both sides).
   */
  @Test
  void aTargetThatCannotReachItsServiceRefusesTheStreamAndBothSidesSayWhy() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    pki.target("t1");
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    try (Broker b =
        TestBrokers.start(pki, TestBrokers.config(pki, "broker-x1"), Clock.systemUTC())) {
      RcCommandsTest.Run ctl = controller(b, pki);
      String code = ctl.waitForOut(Pattern.compile("Connection code: (\\S+)"));
      RcCommandsTest.Run tgt = target(b, pki, code, "--to", "127.0.0.1:" + closed);
      String port = ctl.waitForOut(Pattern.compile("listening on 127.0.0.1:(\\d+) for"));
      for (int i = 0; i < 2; i++) {
        try (Socket local = new Socket("127.0.0.1", Integer.parseInt(port))) {
          InputStream in = local.getInputStream();
          assertThat(in.readAllBytes()).isEmpty();
        }
      }
      String refused =
          "stream to the default service refused: SERVICE_UNREACHABLE — the target cannot connect"
              + " to 127.0.0.1:"
              + closed;
      await().atMost(Duration.ofSeconds(20)).until(() -> tgt.err.toString().contains(refused));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  ctl.err
                      .toString()
                      .contains(
                          "stream to the target's default service refused: SERVICE_UNREACHABLE"));
      assertThat(tgt.code).isNotDone();
      ctl.stopController();
      assertThat(ctl.exit()).as(ctl.err.toString()).isZero();
      assertThat(tgt.exit()).as(tgt.err.toString()).isZero();
      assertThat(ctl.err.toString()).doesNotContain("switchboard:");
    }
  }

  @Test
  void aBrokerThatShutsDownWithNoOtherToTakeOverEndsBothSidesAfterTheResumeWindow()
      throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    pki.target("t1");
    Broker b =
        TestBrokers.start(
            pki,
            TestBrokers.config(pki, "broker-x2").withResumeWindow(Duration.ofSeconds(3)),
            Clock.systemUTC());
    RcCommandsTest.Run ctl;
    RcCommandsTest.Run tgt;
    try (ServerSocket service = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ctl = controller(b, pki);
      String code = ctl.waitForOut(Pattern.compile("Connection code: (\\S+)"));
      tgt = target(b, pki, code, "--to", "127.0.0.1:" + service.getLocalPort());
      String port = ctl.waitForOut(Pattern.compile("listening on 127.0.0.1:(\\d+) for"));
      // The target connects to its service when the stream opens, i.e. after this connection.
      try (Socket local = new Socket("127.0.0.1", Integer.parseInt(port));
          Socket accepted = service.accept()) {
        local.getOutputStream().write("ping\n".getBytes());
        assertThat(new String(accepted.getInputStream().readNBytes(5))).isEqualTo("ping\n");
        b.close(); // BROKER_SHUTDOWN: both try to resume, and no broker answers
        assertThat(ctl.exit()).as(ctl.err.toString()).isEqualTo(1);
        assertThat(tgt.exit()).as(tgt.err.toString()).isEqualTo(1);
      }
    } finally {
      b.close();
    }
    for (RcCommandsTest.Run r : new RcCommandsTest.Run[] {ctl, tgt}) {
      assertThat(r.err.toString())
          .contains("relay via broker-x2 lost; resuming")
          .contains("switchboard: session ended: RESUME_EXPIRED — the session could not be resumed")
          .containsOnlyOnce("switchboard:");
    }
  }
}
