package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every number of the model at its bounds (accepted), beyond them and as nonsense (400 naming the
 * field, or the config file's error naming it), through the admin API and a config file; a refused
 * value never reaches the running model.
 */
class InputBoundsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FE = "127.0.44.1";
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LoadBalancer lb;

  /** Where a field lives: its admin API collection and the body around it. */
  enum Kind {
    RULE,
    PROBE,
    BACKEND,
    ADMIN
  }

  @BeforeAll
  static void start() {
    lb =
        LoadBalancer.start(
            LbConfig.parse(
                String.join(
                    "\n",
                    "admin: {address: 127.0.0.1, port: 0}",
                    "frontends: [{name: fe, ip: " + FE + "}]",
                    "pools: [{name: pool}]")),
            1);
  }

  @AfterAll
  static void stop() {
    lb.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    ints(out, Kind.RULE, "frontendPort", 0, 65535);
    ints(out, Kind.RULE, "backendPort", 1, 65535);
    ints(out, Kind.RULE, "connectAttempts", 1, 100);
    ints(out, Kind.RULE, "maxUdpFlows", 1, 10_000_000);
    ints(out, Kind.RULE, "maxUdpFlowsPerSource", 1, 10_000_000);
    durations(out, Kind.RULE, "idleTimeout", 1, 24 * 3_600_000L);
    durations(out, Kind.RULE, "drain", 0, 3_600_000L);
    durations(out, Kind.RULE, "connectTimeout", 1, 600_000L);
    ints(out, Kind.PROBE, "port", 0, 65535);
    ints(out, Kind.PROBE, "threshold", 1, 100);
    durations(out, Kind.PROBE, "interval", 10, 3_600_000L);
    durations(out, Kind.PROBE, "timeout", 1, 3_600_000L);
    ints(out, Kind.BACKEND, "priority", 0, 1_000_000);
    durations(out, Kind.BACKEND, "ttl", 100, 24 * 3_600_000L);
    ints(out, Kind.ADMIN, "port", -1, 65535);
    return out.stream();
  }

  private static void ints(List<Arguments> out, Kind k, String field, long min, long max) {
    out.add(Arguments.of(k, field, Long.toString(min), true));
    out.add(Arguments.of(k, field, Long.toString(max), true));
    for (String bad :
        List.of(
            Long.toString(min - 1),
            Long.toString(max + 1),
            "-99999999999",
            "99999999999999999999999999",
            "1.5",
            "\"10\"",
            "true")) {
      out.add(Arguments.of(k, field, bad, false));
    }
  }

  private static void durations(List<Arguments> out, Kind k, String field, long minMs, long maxMs) {
    out.add(Arguments.of(k, field, "\"" + minMs + "ms\"", true));
    out.add(Arguments.of(k, field, "\"" + maxMs + "ms\"", true));
    for (String bad :
        List.of(
            "\"" + (maxMs + 1) + "ms\"",
            minMs > 0 ? "\"" + (minMs - 1) + "ms\"" : "\"-1ms\"",
            "\"99999999999999h\"",
            "\"3000000s\"",
            "\"99999999999999999999999999s\"",
            "\"-5s\"",
            "\"30\"",
            "30",
            "\"\"",
            "\"1.5s\"")) {
      out.add(Arguments.of(k, field, bad, false));
    }
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("cases")
  void theAdminApiAcceptsBoundsAndRefusesTheRestNamingTheField(
      Kind kind, String field, String value, boolean ok) throws Exception {
    if (kind == Kind.ADMIN) {
      return; // the admin listener is fixed for the process: only a file sets it
    }
    int n = SEQ.incrementAndGet();
    String before = call("GET", "/config", null).body();
    String name = "b" + n;
    String ip = "127.0.45." + (n % 250 + 1);
    HttpResponse<String> r =
        switch (kind) {
          case RULE ->
              call(
                  "POST",
                  "/rules",
                  body(
                      "\"name\":\"" + name + "\",\"frontend\":\"fe\",\"pool\":\"pool\"",
                      field.equals("backendPort") ? null : "\"backendPort\":9",
                      field,
                      value));
          case PROBE ->
              call("POST", "/probes", body("\"name\":\"" + name + "\"", null, field, value));
          default ->
              call(
                  "POST",
                  "/pools/pool/backends",
                  body("\"ip\":\"" + ip + "\"", null, field, value));
        };
    if (ok) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String path =
          switch (kind) {
            case RULE -> "/rules/" + name;
            case PROBE -> "/probes/" + name;
            default -> "/pools/pool/backends/" + ip;
          };
      assertThat(call("DELETE", path, null).statusCode()).isEqualTo(204);
      return;
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode err = JSON.readTree(r.body());
    assertThat(err.get("error").asText()).isIn("INVALID", "MALFORMED");
    assertThat(err.get("message").asText()).startsWith("request body: " + field + ": ");
    assertThat(call("GET", "/config", null).body()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("cases")
  void aConfigFileIsHeldToTheSameBounds(Kind kind, String field, String value, boolean ok) {
    String yaml =
        switch (kind) {
          case RULE ->
              "{frontends: [{name: fe, ip: "
                  + FE
                  + "}], pools: [{name: pool}], rules: [{"
                  + body(
                      "name: r, frontend: fe, pool: pool",
                      field.equals("backendPort") ? null : "backendPort: 9",
                      field,
                      value)
                  + "}]}";
          case PROBE -> "{probes: [{" + body("name: p", null, field, value) + "}]}";
          case BACKEND ->
              field.equals("ttl")
                  ? null // a lease exists only in the admin API
                  : "{pools: [{name: pool, backends: [{"
                      + body("ip: 127.0.45.1", null, field, value)
                      + "}]}]}";
          case ADMIN -> "{admin: {" + body("address: 127.0.0.1", null, field, value) + "}}";
        };
    if (yaml == null) {
      return;
    }
    if (ok) {
      LbConfig.parse(yaml);
      return;
    }
    assertThatThrownBy(() -> LbConfig.parse(yaml))
        .isInstanceOf(LbException.class)
        .cause()
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).endsWith(field));
  }

  @Test
  void aModelBuiltInCodeIsHeldToTheSameBoundsAndLeavesTheRuleAsItWas() {
    LbConfig base = lb.config();
    RuleConfig.Builder r = RuleConfig.builder("coded").frontend("fe").pool("pool").backendPort(9);
    for (RuleConfig bad :
        List.of(
            r.connectTimeout(Duration.ofSeconds(3_000_000)).build(),
            RuleConfig.builder("coded")
                .frontend("fe")
                .pool("pool")
                .backendPort(9)
                .idleTimeout(Duration.ofDays(400))
                .build(),
            RuleConfig.builder("coded").frontend("fe").pool("pool").backendPort(70000).build(),
            RuleConfig.builder("coded")
                .frontend("fe")
                .pool("pool")
                .backendPort(9)
                .drain(Duration.ofSeconds(-1))
                .build())) {
      assertThatThrownBy(() -> lb.apply(base.withRule(bad)))
          .isInstanceOfSatisfying(
              LbException.class, e -> assertThat(e.code()).isEqualTo(LbException.Code.INVALID))
          .hasMessageStartingWith("rule 'coded': ");
      assertThat(lb.config()).isEqualTo(base);
    }
    assertThatThrownBy(
            () ->
                lb.addBackend(
                    "pool", Backend.of("127.0.45.9"), java.util.Optional.of(Duration.ofDays(30))))
        .hasMessage("lease: ttl: must be at most 1d, got 30d");
    assertThatThrownBy(
            () ->
                lb.addBackend(
                    "pool", new Backend("127.0.45.9", "x", 2_000_000), java.util.Optional.empty()))
        .hasMessage("backend 127.0.45.9: priority: must be 0-1000000, got 2000000");
    assertThat(lb.config()).isEqualTo(base);
  }

  private static String body(String head, String extra, String field, String value) {
    boolean yaml = !head.startsWith("\"");
    String key = yaml ? field : "\"" + field + "\"";
    return head + (extra == null ? "" : ", " + extra) + ", " + key + ": " + value;
  }

  private static HttpResponse<String> call(String method, String path, String body)
      throws Exception {
    String json = body == null ? null : (body.startsWith("{") ? body : "{" + body + "}");
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.adminPort() + path))
            .header("Authorization", lb.adminToken().header())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
