package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FE = "127.0.41.1";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TcpBackend backend;
  private TcpBackend other;
  private LoadBalancer lb;

  @BeforeEach
  void setUp() throws Exception {
    backend = TcpBackend.start("127.0.40.1", 0, false);
    other = TcpBackend.start("127.0.40.2", backend.port(), false);
    lb =
        LoadBalancer.start(
            LbConfig.parse(
                String.join(
                    "\n",
                    "admin: {address: 127.0.0.1, port: 0}",
                    "frontends: [{name: fe, ip: " + FE + "}]",
                    "pools: [{name: pool, backends: [{ip: 127.0.40.1, name: one}]}]",
                    "probes: [{name: tcp, protocol: tcp, interval: 5s, threshold: 2}]",
                    "rules:",
                    "  - {name: web, frontend: fe, frontendPort: 0, protocol: tcp, pool: pool,",
                    "     backendPort: " + backend.port() + ", probe: tcp, idleTimeout: 4m}")),
            2);
  }

  @AfterEach
  void tearDown() {
    lb.close();
    backend.close();
    other.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.adminPort() + path))
            .header("Authorization", lb.adminToken().header())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).get("error").asText()).isEqualTo(code);
    assertThat(json(r).get("message").asText()).isNotBlank();
  }

  @Test
  void listsTheModelAndBackendHealth() throws Exception {
    JsonNode rules = json(call("GET", "/rules", null));
    assertThat(rules.get(0).get("name").asText()).isEqualTo("web");
    assertThat(rules.get(0).get("boundPort").asInt()).isEqualTo(lb.port("web"));
    JsonNode health = json(call("GET", "/health", null));
    assertThat(health.get(0).get("ip").asText()).isEqualTo("127.0.40.1");
    assertThat(health.get(0).get("state").asText()).isEqualTo("up");
    assertThat(call("GET", "/frontends/fe", null).body()).contains(FE);
    assertThat(call("GET", "/probes/tcp", null).body()).contains("\"threshold\":2");
    assertThat(call("GET", "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void backendsAreAddedWithALeaseRenewedAndRemoved() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/pools/pool/backends",
            "{\"ip\":\"127.0.40.2\",\"name\":\"two\",\"ttl\":\"30s\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("ttl").asText()).isEqualTo("30s");
    assertThat(call("POST", "/pools/pool/backends/127.0.40.2/renew", null).statusCode())
        .isEqualTo(204);
    assertThat(json(call("GET", "/pools/pool/backends", null))).hasSize(2);
    assertThat(call("DELETE", "/pools/pool/backends/127.0.40.2", null).statusCode()).isEqualTo(204);
    assertError(call("DELETE", "/pools/pool/backends/127.0.40.2", null), 404, "NOT_FOUND");
    assertError(call("POST", "/pools/nope/backends", "{\"ip\":\"127.0.40.2\"}"), 404, "NOT_FOUND");
    assertError(call("POST", "/pools/pool/backends", "{\"ip\":\"not-an-ip\"}"), 400, "INVALID");
  }

  @Test
  void badInputIsRefusedWithA4xxAndChangesNothing() throws Exception {
    String before = call("GET", "/config", null).body();
    assertError(
        call(
            "POST",
            "/rules",
            "{\"name\":\"r2\",\"frontend\":\"fe\",\"pool\":\"ghost\"," + "\"backendPort\":80}"),
        400,
        "UNKNOWN_POOL");
    assertError(
        call(
            "POST",
            "/rules",
            "{\"name\":\"web\",\"frontend\":\"fe\",\"pool\":\"pool\"," + "\"backendPort\":80}"),
        409,
        "DUPLICATE_NAME");
    assertError(
        call(
            "POST",
            "/rules",
            "{\"name\":\"r3\",\"frontend\":\"fe\",\"pool\":\"pool\","
                + "\"backendPort\":80,\"frontendPort\":"
                + lb.port("web")
                + "}"),
        409,
        "PORT_IN_USE");
    assertError(call("POST", "/rules", "{\"name\":\"r4\",\"frontend\":\"fe\","), 400, "MALFORMED");
    assertError(
        call(
            "POST",
            "/rules",
            "{\"name\":\"r5\",\"frontend\":\"fe\",\"pool\":\"pool\","
                + "\"backendPort\":80,\"colour\":\"red\"}"),
        400,
        "INVALID");
    assertError(call("DELETE", "/pools/pool", null), 409, "IN_USE");
    assertError(call("GET", "/rules/ghost", null), 404, "NOT_FOUND");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(FE), 0));
      assertError(
          call(
              "POST",
              "/rules",
              "{\"name\":\"r6\",\"frontend\":\"fe\",\"pool\":\"pool\","
                  + "\"backendPort\":80,\"frontendPort\":"
                  + taken.getLocalPort()
                  + "}"),
          409,
          "PORT_IN_USE");
    }
    String body =
        "{\"frontends\":[{\"name\":\"fe\",\"ip\":\""
            + FE
            + "\"}],"
            + "\"pools\":[{\"name\":\"pool\"}],\"rules\":["
            + "{\"name\":\"a\",\"frontend\":\"fe\",\"frontendPort\":7001,\"pool\":\"pool\",\"backendPort\":1},"
            + "{\"name\":\"b\",\"frontend\":\"fe\",\"frontendPort\":7001,\"pool\":\"pool\",\"backendPort\":1}]}";
    assertError(call("PUT", "/config", body), 409, "DUPLICATE_RULE");
    assertThat(call("GET", "/config", null).body()).isEqualTo(before);
    assertThat(Clients.tcp(lb.address("web"), "127.0.42.1", "still")).isEqualTo("127.0.40.1");
  }

  @Test
  void changesAndReloadsKeepEstablishedConnections() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(lb.address("web"), 5000);
      s.setSoTimeout(5000);
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      s.getOutputStream().write("1\n".getBytes(StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("127.0.40.1 1");

      HttpResponse<String> put =
          call(
              "PUT",
              "/rules/web",
              "{\"frontend\":\"fe\",\"pool\":\"pool\","
                  + "\"backendPort\":"
                  + backend.port()
                  + ",\"distribution\":\"sourceIP\",\"probe\":\"tcp\"}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(json(put).get("distribution").asText()).isEqualTo("sourceIP");
      JsonNode cfg = json(call("GET", "/config", null));
      ((ArrayNode) cfg.get("pools").get(0).get("backends")).addObject().put("ip", "127.0.40.2");
      HttpResponse<String> reload = call("PUT", "/config", cfg.toString());
      assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);

      s.getOutputStream().write("2\n".getBytes(StandardCharsets.UTF_8));
      assertThat(r.readLine()).isEqualTo("127.0.40.1 2");
    }
    assertThat(lb.config().pools().get(0).backends()).hasSize(2);
    String metrics = call("GET", "/metrics", null).body();
    assertThat(metrics)
        .contains("# TYPE lb_rule_connections_total counter")
        .contains("lb_rule_connections_total{rule=\"web\"} 1.0")
        .contains("lb_probe_results_total{");
  }

  @Test
  void ruleHealthAnswers200WhileABackendIsEligibleAnd503WithoutOne() throws Exception {
    HttpResponse<String> r = call("GET", "/rules/web/health", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r))
        .isEqualTo(JSON.readTree("{\"rule\":\"web\",\"eligible\":1,\"backends\":1}"));
    assertThat(lb.eligibleBackends("web")).isEqualTo(1);

    assertThat(call("DELETE", "/pools/pool/backends/127.0.40.1", null).statusCode()).isEqualTo(204);
    r = call("GET", "/rules/web/health", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(json(r))
        .isEqualTo(JSON.readTree("{\"rule\":\"web\",\"eligible\":0,\"backends\":0}"));
    assertThat(lb.eligibleBackends("web")).isZero();

    assertError(call("GET", "/rules/ghost/health", null), 404, "NOT_FOUND");
    assertError(call("POST", "/rules/web/health", "{}"), 405, "METHOD_NOT_ALLOWED");
    assertThatThrownBy(() -> lb.eligibleBackends("ghost"))
        .isInstanceOf(LbException.class)
        .extracting(e -> ((LbException) e).code())
        .isEqualTo(LbException.Code.NOT_FOUND);
  }

  @Test
  void backendPriorityGoesInAndOutThroughTheApi() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/pools/pool/backends",
            "{\"ip\":\"127.0.40.2\",\"name\":\"two\",\"priority\":3,\"ttl\":\"30s\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("priority").asInt()).isEqualTo(3);
    assertThat(json(call("GET", "/pools/pool/backends/127.0.40.1", null)).get("priority").asInt())
        .isZero();
    JsonNode health = json(call("GET", "/health", null));
    assertThat(health)
        .anySatisfy(
            h -> {
              assertThat(h.get("ip").asText()).isEqualTo("127.0.40.2");
              assertThat(h.get("priority").asInt()).isEqualTo(3);
            });
    assertThat(lb.health()).anySatisfy(h -> assertThat(h.priority()).isEqualTo(3));
    assertError(
        call("POST", "/pools/pool/backends", "{\"ip\":\"127.0.40.3\",\"priority\":-1}"),
        400,
        "INVALID");
    assertError(
        call("POST", "/pools/pool/backends", "{\"ip\":\"127.0.40.3\",\"priority\":\"high\"}"),
        400,
        "INVALID");
  }

  @Test
  void crudOnPoolsProbesFrontendsAndRules() throws Exception {
    assertThat(call("POST", "/frontends", "{\"name\":\"fe2\",\"ip\":\"127.0.41.2\"}").statusCode())
        .isEqualTo(201);
    assertThat(
            call("POST", "/pools", "{\"name\":\"p2\",\"backends\":[{\"ip\":\"127.0.40.2\"}]}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            call("POST", "/probes", "{\"name\":\"h\",\"protocol\":\"http\",\"path\":\"/healthz\"}")
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> rule =
        call(
            "POST",
            "/rules",
            "{\"name\":\"r2\",\"frontend\":\"fe2\",\"pool\":\"p2\","
                + "\"backendPort\":"
                + backend.port()
                + ",\"protocol\":\"all\"}");
    assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
    assertThat(Clients.tcp(lb.address("r2"), "127.0.42.1", "x")).isEqualTo("127.0.40.2");
    assertThat(call("DELETE", "/rules/r2", null).statusCode()).isEqualTo(204);
    assertThat(call("DELETE", "/pools/p2", null).statusCode()).isEqualTo(204);
    assertThat(call("DELETE", "/probes/h", null).statusCode()).isEqualTo(204);
    assertThat(call("DELETE", "/frontends/fe2", null).statusCode()).isEqualTo(204);
    assertError(call("DELETE", "/frontends/fe", null), 409, "IN_USE");
    assertThat(json(call("GET", "/rules", null))).hasSize(1);
  }
}
