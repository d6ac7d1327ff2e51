package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.broker.AuditSettings;
import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Session;
import dev.switchboard.config.ConfigException;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import dev.switchboard.time.ManualScheduler;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A relayed session leaves exactly one audit record with who, where from, when, how much, why. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionAuditLogTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void aCompleteSessionWritesOneRecordWithEveryField() throws Exception {
    TestPki pki = TestPki.create(dir);
    Instant t0 = Instant.ofEpochMilli(Instant.now().toEpochMilli());
    ManualScheduler time = new ManualScheduler(t0);
    Path audit = dir.resolve("sessions.jsonl");
    BrokerConfig cfg = TestBrokers.config(pki, "broker-audit-1").withAudit(AuditSettings.to(audit));
    Broker broker = started.broker(cfg, time.clock());
    BrokerEndpoint endpoint = TestBrokers.endpoint(broker);
    TlsMaterial alice = pki.controller("alice");
    TlsMaterial t1 = pki.target("t1");

    SessionHarness s =
        SessionHarness.connect(
            ClientOptions.of(alice), endpoint, ClientOptions.of(t1), List.of(endpoint));
    byte[] up = bytes(3 * 1024 + 17, 1);
    byte[] down = bytes(5 * 1024 + 3, 2);
    s.controller.output().write(up);
    s.controller.output().flush();
    s.target.output().write(down);
    s.target.output().flush();
    assertThat(readFully(s.target, up.length)).isEqualTo(up);
    assertThat(readFully(s.controller, down.length)).isEqualTo(down);
    time.advance(Duration.ofSeconds(7));
    s.controller.output().close();
    s.target.output().close();
    assertThat(s.controller.input().read()).isEqualTo(-1);
    assertThat(s.target.input().read()).isEqualTo(-1);
    s.controller.close();
    s.target.close();

    Awaitility.await().atMost(PATIENCE).until(() -> Files.readAllLines(audit).size() == 1);
    JsonNode r = new ObjectMapper().readTree(Files.readAllLines(audit).get(0));
    assertThat(r.get("sessionId").asText()).isEqualTo(s.controller.id());
    assertThat(r.get("broker").asText()).isEqualTo("broker-audit-1");
    assertThat(r.get("ownerBroker").asText()).isEqualTo("broker-audit-1");
    assertParty(r.get("controller"), "alice", alice);
    assertParty(r.get("target"), "t1", t1);
    assertThat(r.get("controller").get("address").asText())
        .isNotEqualTo(r.get("target").get("address").asText());
    assertThat(r.get("start").asText()).isEqualTo(t0.toString());
    assertThat(r.get("end").asText()).isEqualTo(t0.plusSeconds(7).toString());
    assertThat(r.get("bytesControllerToTarget").asLong()).isEqualTo(up.length);
    assertThat(r.get("bytesTargetToController").asLong()).isEqualTo(down.length);
    assertThat(r.get("streams").asInt()).isEqualTo(1);
    assertThat(r.get("endReason").asText()).isEqualTo("SESSION_COMPLETE");
    assertThat(r.get("endMessage").asText()).isEqualTo("both sides finished sending");
    assertThat(r.get("generation").asInt()).isEqualTo(1);
    assertThat(r.get("resumedFrom").asText()).isEmpty();
    assertThat(r.size()).as("no field beyond the documented ones").isEqualTo(14);
    assertThat(broker.metricsText())
        .contains("switchboard_audit_records_dropped_total{broker=\"broker-audit-1\"} 0.0");
  }

  @Test
  void aRedirectedSessionIsRecordedByTheRelayingBrokerNamingTheCodesOwner() throws Exception {
    TestPki pki = TestPki.create(dir);
    ManualScheduler time = new ManualScheduler(Instant.now());
    Path ownerAudit = dir.resolve("owner.jsonl");
    Path relayAudit = dir.resolve("relay.jsonl");
    List<BrokerConfig> configs =
        TestBrokers.mesh(
            List.of(
                TestBrokers.config(pki, "broker-owner").withAudit(AuditSettings.to(ownerAudit)),
                TestBrokers.config(pki, "broker-relay").withAudit(AuditSettings.to(relayAudit))));
    Broker owner = started.broker(configs.get(0), time.clock());
    Broker relay = started.broker(configs.get(1), time.clock());
    Awaitility.await("mesh links up")
        .atMost(PATIENCE)
        .until(() -> owner.meshLinksUp() && relay.meshLinksUp());
    TlsMaterial alice = pki.controller("alice");
    TlsMaterial t1 = pki.target("t1");

    SessionHarness s =
        SessionHarness.connect(
            ClientOptions.of(alice),
            TestBrokers.endpoint(owner),
            ClientOptions.of(t1),
            List.of(TestBrokers.endpoint(relay)));
    assertThat(s.controller.brokerId()).isEqualTo("broker-relay");
    byte[] up = bytes(2048, 3);
    s.controller.output().write(up);
    s.controller.output().close();
    assertThat(s.target.input().readAllBytes()).isEqualTo(up);
    s.target.output().close();
    assertThat(s.controller.input().read()).isEqualTo(-1);
    s.controller.close();
    s.target.close();

    Awaitility.await().atMost(PATIENCE).until(() -> Files.readAllLines(relayAudit).size() == 1);
    JsonNode r = new ObjectMapper().readTree(Files.readAllLines(relayAudit).get(0));
    assertThat(r.get("sessionId").asText()).isEqualTo(s.target.id());
    assertThat(r.get("broker").asText()).isEqualTo("broker-relay");
    assertThat(r.get("ownerBroker").asText()).isEqualTo("broker-owner");
    assertParty(r.get("controller"), "alice", alice);
    assertParty(r.get("target"), "t1", t1);
    assertThat(r.get("bytesControllerToTarget").asLong()).isEqualTo(up.length);
    assertThat(r.get("bytesTargetToController").asLong()).isZero();
    assertThat(r.get("endReason").asText()).isEqualTo("SESSION_COMPLETE");
    assertThat(ownerAudit).as("the owner relayed nothing").isEmptyFile();
  }

  @Test
  void anAuditFileThatCannotBeWrittenStopsTheStart() throws Exception {
    TestPki pki = TestPki.create(dir);
    Path audit = dir.resolve("no-such-folder").resolve("sessions.jsonl");
    BrokerConfig cfg = TestBrokers.config(pki, "broker-audit-2").withAudit(AuditSettings.to(audit));
    assertThatThrownBy(() -> started.broker(cfg, Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("audit.file")
        .hasMessageContaining(audit.toString());
  }

  private static void assertParty(JsonNode p, String name, TlsMaterial cert) {
    assertThat(p.get("name").asText()).isEqualTo(name);
    assertThat(p.get("serial").asText())
        .isEqualTo(cert.certificate().getSerialNumber().toString(16));
    assertThat(p.get("address").asText()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
  }

  private static byte[] readFully(Session s, int n) throws Exception {
    byte[] b = new byte[n];
    new DataInputStream(s.input()).readFully(b);
    return b;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
