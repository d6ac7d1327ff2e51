package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.broker.AuditSettings;
import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard sessions} and {@code sessions end} against two brokers in a mesh, the session
 * relayed by the second: listed from the topology file, ended for both sides with the reason.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionsCommandTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  private Broker owner;
  private Broker relay;
  private Path audit;
  private Path topology;
  private Path token;
  private TestPki pki;
  private TlsMaterial alice;

  @BeforeEach
  void mesh() throws Exception {
    pki = TestPki.create(dir.resolve("pki"));
    audit = dir.resolve("relay.jsonl");
    List<BrokerConfig> configs =
        TestBrokers.mesh(
            List.of(
                TestBrokers.config(pki, "broker-owner"),
                TestBrokers.config(pki, "broker-relay").withAudit(AuditSettings.to(audit))));
    owner = started.broker(configs.get(0), Clock.systemUTC());
    relay = started.broker(configs.get(1), Clock.systemUTC());
    Awaitility.await("mesh links up")
        .atMost(PATIENCE)
        .until(() -> owner.meshLinksUp() && relay.meshLinksUp());
    token = relay.adminTokenFile();
    alice = pki.controller("alice");
    topology = topology("mesh.yaml", owner.adminPort(), relay.adminPort());
  }

  /** The two brokers as an operator's topology file names them: address and admin port. */
  private Path topology(String name, int... adminPorts) throws Exception {
    StringBuilder y =
        new StringBuilder("regions: [{id: lab}]\nlatencyMs: {lab-lab: 1}\nbrokers:\n");
    String[] ids = {"broker-owner", "broker-relay", "broker-gone"};
    for (int i = 0; i < adminPorts.length; i++) {
      y.append("  - {id: ")
          .append(ids[i])
          .append(", region: lab, address: 127.0.0.1, adminPort: ")
          .append(adminPorts[i])
          .append("}\n");
    }
    return Files.writeString(dir.resolve(name), y.toString());
  }

  private Session[] session() throws Exception {
    Controller c =
        Controller.requestCode(
            ClientOptions.of(alice),
            TestBrokers.endpoint(owner),
            Resolver.SYSTEM,
            SessionEvents.NONE);
    CompletableFuture<Session> cs =
        Blocking.supply(
            () -> {
              try {
                return c.awaitSession();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Session t =
        Target.join(
            ClientOptions.of(pki.target("t1")),
            List.of(TestBrokers.endpoint(relay)),
            c.code(),
            SessionEvents.NONE);
    Session ctl = cs.get(30, TimeUnit.SECONDS);
    assertThat(t.brokerId()).isEqualTo("broker-relay");
    return new Session[] {ctl, t};
  }

  private RcCommandsTest.Run sessions(String... args) {
    List<String> all = new ArrayList<>(List.of("sessions"));
    all.addAll(List.of(args));
    if (!all.contains("--topology")) {
      all.addAll(List.of("--topology", topology.toString()));
    }
    if (!all.contains("--admin-token-file")) {
      all.addAll(List.of("--admin-token-file", token.toString()));
    }
    return new RcCommandsTest.Run(all.toArray(String[]::new));
  }

  @Test
  void listsTheRelayedSessionThenEndsItForBothSidesWithTheReason() throws Exception {
    Session[] s = session();
    String id = s[1].id();

    RcCommandsTest.Run list = sessions();
    assertThat(list.exit()).as(list.err.toString()).isZero();
    assertThat(list.out.toString().lines())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("SESSION")
        .contains("CONTROLLER", "TARGET", "BYTES C>T");
    assertThat(list.out.toString().lines().skip(1).findFirst().orElseThrow())
        .startsWith(id)
        .containsPattern("broker-relay +broker-owner +alice +127\\.0\\.0\\.1:\\d+ +t1 ");
    assertThat(list.err.toString()).isEmpty();

    RcCommandsTest.Run json = sessions("--json");
    assertThat(json.exit()).isZero();
    JsonNode j = new ObjectMapper().readTree(json.out.toString());
    assertThat(j.get("notReached")).isEmpty();
    assertThat(j.get("sessions")).hasSize(1);
    assertThat(j.get("sessions").get(0).get("controller").get("serial").asText())
        .isEqualTo(alice.certificate().getSerialNumber().toString(16));

    RcCommandsTest.Run end = sessions("end", id, "--reason", "security review");
    assertThat(end.exit()).as(end.err.toString()).isZero();
    assertThat(end.out.toString()).contains("Ended session " + id + " on broker broker-relay");
    for (Session side : s) {
      assertThatThrownBy(() -> side.input().read())
          .isInstanceOfSatisfying(
              RefusedException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDED_BY_OPERATOR))
          .hasMessageContaining("security review");
    }
    Awaitility.await().atMost(PATIENCE).until(() -> Files.readAllLines(audit).size() == 1);
    JsonNode record = new ObjectMapper().readTree(Files.readAllLines(audit).get(0));
    assertThat(record.get("endReason").asText()).isEqualTo("ENDED_BY_OPERATOR");
    assertThat(record.get("endMessage").asText()).endsWith("security review");

    RcCommandsTest.Run after = sessions();
    assertThat(after.exit()).isZero();
    assertThat(after.out.toString()).isEqualTo("No live sessions.\n");
    RcCommandsTest.Run again =
        new RcCommandsTest.Run(
            "sessions",
            "--topology",
            topology.toString(),
            "--admin-token-file",
            token.toString(),
            "end",
            id);
    assertThat(again.exit()).isEqualTo(4);
    assertThat(again.err.toString())
        .startsWith("switchboard: no broker relays session " + id)
        .hasLineCount(1);
    for (Session side : s) {
      side.close();
    }
  }

  @Test
  void aBrokerNotReachedIsNamedAndTheOthersAreStillListed() throws Exception {
    int closed;
    try (ServerSocket gone = new ServerSocket(0)) {
      closed = gone.getLocalPort();
    }
    Path three = topology("three.yaml", owner.adminPort(), relay.adminPort(), closed);
    Session[] s = session();
    RcCommandsTest.Run list = sessions("--topology", three.toString());
    assertThat(list.exit()).isEqualTo(5);
    assertThat(list.out.toString()).contains(s[1].id());
    assertThat(list.err.toString())
        .startsWith("switchboard: not every broker answered")
        .contains("broker-gone (cannot reach 127.0.0.1:" + closed)
        .hasLineCount(1);
    for (Session side : s) {
      side.close();
    }
  }

  @Test
  void usageTokenAndNothingRunningFailuresAreOneLineWithTheirCode() throws Exception {
    RcCommandsTest.Run badId = sessions("end", "../status");
    assertThat(badId.exit()).isEqualTo(2);
    assertThat(badId.err.toString()).contains("is not a session id").hasLineCount(1);

    RcCommandsTest.Run longReason = sessions("end", "broker-relay-00", "--reason", "x".repeat(201));
    assertThat(longReason.exit()).isEqualTo(2);
    assertThat(longReason.err.toString()).contains("--reason: longer than 200").hasLineCount(1);

    RcCommandsTest.Run escape = sessions("end", "broker-relay-00", "--reason", "a\u001b[2Jb");
    assertThat(escape.exit()).isEqualTo(2);
    assertThat(escape.err.toString()).contains("control").hasLineCount(1);

    Path wrong = dir.resolve("wrong.token");
    Files.writeString(wrong, "A".repeat(43) + "\n");
    Files.setPosixFilePermissions(
        wrong, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    RcCommandsTest.Run refused = sessions("--admin-token-file", wrong.toString());
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err.toString())
        .contains("refused the admin token from " + wrong + " (401)")
        .hasLineCount(1);

    RcCommandsTest.Run missing = sessions("--admin-token-file", dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err.toString()).contains("admin token file").hasLineCount(1);

    RcCommandsTest.Run nothing =
        new RcCommandsTest.Run("sessions", "--state-dir", dir.resolve("no-up").toString());
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err.toString())
        .startsWith("switchboard: no local topology is running")
        .hasLineCount(1);
    RcCommandsTest.Run unknown = sessions("end", "broker-relay-0000");
    assertThat(unknown.exit()).isEqualTo(4);
  }
}
