package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad numbers and durations in admin API bodies are a 400 naming the field, never a 500. */
class AdminApiFieldErrorsTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private LoadBalancer lb;

  @BeforeEach
  void setUp() {
    lb = LoadBalancer.start(LbConfig.parse("pools: [{name: pool}]"), 1);
  }

  @AfterEach
  void tearDown() {
    lb.close();
  }

  @Test
  void aLeaseWithoutUnitIsRefusedNamingTtl() throws Exception {
    assertInvalid(
        "/pools/pool/backends",
        "{\"ip\":\"127.0.40.2\",\"ttl\":\"30\"}",
        "request body: ttl: a duration needs a unit: write 30s or 30ms, not 30");
    assertInvalid(
        "/pools/pool/backends",
        "{\"ip\":\"127.0.40.2\",\"ttl\":30}",
        "request body: ttl: a duration needs a unit: write 30s or 30ms, not 30");
    assertInvalid(
        "/pools/pool/backends",
        "{\"ip\":\"127.0.40.2\",\"ttl\":\"3000000s\"}",
        "request body: ttl: must be at most 1d, got 3000000s");
  }

  @Test
  void wrongTypesAndUnknownKeysNameTheField() throws Exception {
    assertInvalid(
        "/probes",
        "{\"name\":\"h\",\"threshold\":\"2\"}",
        "request body: threshold: expected an integer, got the string \"2\"");
    assertInvalid(
        "/probes",
        "{\"name\":\"h\",\"interval\":\"99999999999999999d\"}",
        "request body: interval: must be at most 365d, got 99999999999999999d");
    assertInvalid(
        "/pools",
        "{\"name\":\"p2\",\"backends\":[{\"ip\":\"127.0.0.1\",\"prio\":1}]}",
        "request body: backends[0].prio: unknown field; expected one of [ip, name, priority]");
  }

  private void assertInvalid(String path, String body, String message) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.adminPort() + path))
                .header("Authorization", lb.adminToken().header())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode n = new ObjectMapper().readTree(r.body());
    assertThat(n.get("error").asText()).isEqualTo("INVALID");
    assertThat(n.get("message").asText()).isEqualTo(message);
  }
}
