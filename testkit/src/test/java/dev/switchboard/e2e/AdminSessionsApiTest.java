package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.broker.AuditSettings;
import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.config.TokenFile;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A broker's live sessions through its admin API: listed with who, from where, since when and how
 * much; ended for an operator with a reason both clients and the audit log get; every refusal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminSessionsApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Broker owner;
  private Broker relay;
  private Path relayAudit;
  private String token;
  private TlsMaterial alice;
  private TlsMaterial t1;

  @BeforeEach
  void mesh() throws Exception {
    TestPki pki = TestPki.create(dir);
    relayAudit = dir.resolve("relay.jsonl");
    List<BrokerConfig> configs =
        TestBrokers.mesh(
            List.of(
                TestBrokers.config(pki, "broker-owner"),
                TestBrokers.config(pki, "broker-relay").withAudit(AuditSettings.to(relayAudit))));
    owner = started.broker(configs.get(0), Clock.systemUTC());
    relay = started.broker(configs.get(1), Clock.systemUTC());
    Awaitility.await("mesh links up")
        .atMost(PATIENCE)
        .until(() -> owner.meshLinksUp() && relay.meshLinksUp());
    token = TokenFile.read(relay.adminTokenFile()).header();
    alice = pki.controller("alice");
    t1 = pki.target("t1");
  }

  private SessionHarness session() throws Exception {
    SessionHarness s =
        SessionHarness.connect(
            ClientOptions.of(alice),
            TestBrokers.endpoint(owner),
            ClientOptions.of(t1),
            List.of(TestBrokers.endpoint(relay)));
    assertThat(s.controller.brokerId()).isEqualTo("broker-relay");
    return s;
  }

  @Test
  void theRelayingBrokerListsTheSessionAndTheOwnerDoesNot() throws Exception {
    SessionHarness s = session();
    byte[] up = new byte[1000];
    s.controller.output().write(up);
    s.controller.output().flush();
    s.target.input().readNBytes(up.length);

    JsonNode listed =
        Awaitility.await()
            .atMost(PATIENCE)
            .until(
                () -> JSON.readTree(get(relay, "/sessions", token).body()),
                j -> j.path("sessions").path(0).path("bytesControllerToTarget").asLong() == 1000);
    assertThat(listed.get("broker").asText()).isEqualTo("broker-relay");
    assertThat(listed.get("sessions")).hasSize(1);
    JsonNode r = listed.get("sessions").get(0);
    assertThat(r.get("sessionId").asText()).isEqualTo(s.target.id());
    assertThat(r.get("broker").asText()).isEqualTo("broker-relay");
    assertThat(r.get("ownerBroker").asText()).isEqualTo("broker-owner");
    assertThat(r.get("controller").get("name").asText()).isEqualTo("alice");
    assertThat(r.get("controller").get("serial").asText())
        .isEqualTo(alice.certificate().getSerialNumber().toString(16));
    assertThat(r.get("target").get("name").asText()).isEqualTo("t1");
    assertThat(r.get("target").get("address").asText()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
    assertThat(r.get("bytesTargetToController").asLong()).isZero();
    assertThat(r.get("start").asText()).endsWith("Z");

    JsonNode none = JSON.readTree(get(owner, "/sessions", token).body());
    assertThat(none.get("sessions")).isEmpty();
    s.controller.close();
    s.target.close();
  }

  @Test
  void anOperatorEndsTheSessionWithAReasonBothSidesAndTheAuditLogSee() throws Exception {
    SessionHarness s = session();
    HttpResponse<String> ended =
        post(relay, "/sessions/" + s.target.id() + "/end", "{\"reason\":\"maintenance at 21:00\"}");
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);

    for (var side : List.of(s.controller, s.target)) {
      assertThatThrownBy(() -> side.input().read())
          .isInstanceOfSatisfying(
              RefusedException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDED_BY_OPERATOR))
          .hasMessageContaining("maintenance at 21:00");
    }
    Awaitility.await().atMost(PATIENCE).until(() -> Files.readAllLines(relayAudit).size() == 1);
    JsonNode record = JSON.readTree(Files.readAllLines(relayAudit).get(0));
    assertThat(record.get("sessionId").asText()).isEqualTo(s.target.id());
    assertThat(record.get("endReason").asText()).isEqualTo("ENDED_BY_OPERATOR");
    assertThat(record.get("endMessage").asText()).contains("maintenance at 21:00");
    assertThat(JSON.readTree(get(relay, "/sessions", token).body()).get("sessions")).isEmpty();
    assertThat(post(relay, "/sessions/" + s.target.id() + "/end", "{}").statusCode())
        .as("an ended session is unknown")
        .isEqualTo(404);
    s.controller.close();
    s.target.close();
  }

  @Test
  void everyBadRequestIsRefusedAndTheSessionRuns() throws Exception {
    SessionHarness s = session();
    String end = "/sessions/" + s.target.id() + "/end";

    assertThat(get(relay, "/sessions", null).statusCode()).isEqualTo(401);
    assertThat(get(relay, "/sessions", "Bearer " + "x".repeat(43)).statusCode()).isEqualTo(401);
    assertThat(send(relay, end, null, "application/json", "{}").statusCode()).isEqualTo(401);
    assertThat(send(relay, end, "Bearer wrong-token-wrong-token", "application/json", "{}"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(401);
    assertThat(send(relay, end, token, "text/plain", "{}").statusCode()).isEqualTo(415);
    assertThat(send(relay, end, token, null, "{}").statusCode()).isEqualTo(415);
    assertThat(get(relay, end, token).statusCode()).isEqualTo(405);
    assertBadField(post(relay, end, "not json"), "body");
    assertBadField(post(relay, end, "[\"reason\"]"), "body");
    assertBadField(post(relay, end, "{\"reason\":\"ok\",\"force\":true}"), "force");
    assertBadField(post(relay, end, "{\"reason\":42}"), "reason");
    assertBadField(post(relay, end, "{\"reason\":\"" + "x".repeat(201) + "\"}"), "reason");
    assertBadField(post(relay, end, "{\"reason\":\"line\\nbreak\"}"), "reason");
    assertBadField(post(relay, end, "{\"reason\":\"\\u001b[31mred\"}"), "reason");
    assertBadField(post(relay, end, "{\"reason\":\"\\u202egnirts\"}"), "reason");
    HttpResponse<String> unknown = post(relay, "/sessions/broker-relay-00000000/end", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("message").asText())
        .contains("broker-relay-00000000");
    assertThat(post(owner, end, "{}").statusCode())
        .as("the owner does not relay it")
        .isEqualTo(404);

    // None of that touched the session.
    s.controller.output().write(new byte[] {1, 2, 3});
    s.controller.output().flush();
    assertThat(s.target.input().readNBytes(3)).containsExactly(1, 2, 3);
    assertThat(post(relay, end, "{\"reason\":\"" + "é".repeat(200) + "\"}").statusCode())
        .as("200 characters, not bytes")
        .isEqualTo(200);
    s.controller.close();
    s.target.close();
  }

  private static void assertBadField(HttpResponse<String> r, String field) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode e = JSON.readTree(r.body());
    assertThat(e.get("error").asText()).isEqualTo("BAD_REQUEST");
    assertThat(e.get("field").asText()).isEqualTo(field);
    assertThat(e.get("message").asText()).startsWith(field + " ");
  }

  private HttpResponse<String> get(Broker b, String path, String authorization) throws Exception {
    HttpRequest.Builder r = request(b, path, authorization);
    return http.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Broker b, String path, String body) throws Exception {
    return send(b, path, token, "application/json", body);
  }

  private HttpResponse<String> send(
      Broker b, String path, String authorization, String type, String body) throws Exception {
    HttpRequest.Builder r = request(b, path, authorization);
    if (type != null) {
      r.header("Content-Type", type);
    }
    return http.send(
        r.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(Broker b, String path, String authorization) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.adminPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return r;
  }
}
