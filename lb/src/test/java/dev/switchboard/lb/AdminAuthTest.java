package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.TokenFile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a caller without the token, or a page in a browser, is turned away by the admin API. */
class AdminAuthTest {
  private static final String ROGUE = "{\"ip\":\"127.0.40.66\",\"name\":\"rogue\"}";
  @TempDir Path dir;
  private LoadBalancer lb;
  private Path tokenFile;

  @BeforeEach
  void setUp() throws Exception {
    tokenFile = dir.resolve("lb-admin.token");
    Path config = dir.resolve("lb.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "admin: {address: 127.0.0.1, port: 0, hosts: [lb.internal]}",
            "frontends: [{name: fe, ip: 127.0.41.9}]",
            "pools: [{name: pool, backends: [{ip: 127.0.40.1}]}]",
            "rules: [{name: web, frontend: fe, pool: pool, backendPort: 9}]"));
    lb = LoadBalancer.start(LbConfig.load(config), 1);
  }

  @AfterEach
  void tearDown() {
    lb.close();
  }

  @Test
  void theTokenFileIsCreatedOwnerOnlyAndIsTheToken() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
        .isEqualTo("rw-------");
    assertThat(TokenFile.read(tokenFile).header()).isEqualTo(lb.adminToken().header());
    assertThat(String.valueOf(lb.adminToken())).doesNotContain(Files.readString(tokenFile).strip());
    assertThat(post("/pools/pool/backends", ROGUE, auth(), json()).status).isEqualTo(201);
  }

  @Test
  void aTokenFileOthersMayReadIsRefusedAtStart() throws Exception {
    Path loose = dir.resolve("loose.token");
    Files.writeString(loose, Files.readString(tokenFile));
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(
            () ->
                LoadBalancer.start(
                    LbConfig.parse("pools: [{name: p}]").withAdminTokenFile(loose), 1))
        .isInstanceOfSatisfying(
            LbException.class, e -> assertThat(e.code()).isEqualTo(LbException.Code.TOKEN_FILE))
        .hasMessageContaining("chmod 600")
        .hasMessageNotContaining(Files.readString(tokenFile).strip());
  }

  @Test
  void changesWithoutTheRightBearerTokenAre401AndChangeNothing() throws Exception {
    String token = Files.readString(tokenFile).strip();
    assertRefused(post("/pools/pool/backends", ROGUE, json()), 401, "UNAUTHORIZED");
    assertRefused(
        post("/pools/pool/backends", ROGUE, json(), "Authorization: Bearer " + "x".repeat(43)),
        401,
        "UNAUTHORIZED");
    String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + token).getBytes());
    assertRefused(
        post("/pools/pool/backends", ROGUE, json(), "Authorization: Basic " + basic),
        401,
        "UNAUTHORIZED");
    assertRefused(post("/pools/pool/backends?token=" + token, ROGUE, json()), 401, "UNAUTHORIZED");
    assertRefused(
        post("/pools/pool/backends?access_token=" + token, ROGUE, json()), 401, "UNAUTHORIZED");
    Reply r = post("/pools/pool/backends", ROGUE, json());
    assertThat(r.head.toLowerCase(java.util.Locale.ROOT)).contains("www-authenticate: bearer");
    assertThat(r.body).doesNotContain(token);
    assertOnlyTheOriginalBackend();
    assertThat(lb.metrics())
        .contains("lb_admin_requests_refused_total{reason=\"unauthorized\"} 6.0");
  }

  @Test
  void readsOfTheConfigurationNeedTheTokenToo() throws Exception {
    for (String path : List.of("/config", "/pools", "/rules", "/health", "/pools/pool/backends")) {
      assertRefused(get(path), 401, "UNAUTHORIZED");
      assertThat(get(path, auth()).status).as(path).isEqualTo(200);
    }
    assertRefused(get("/no/such/path"), 401, "UNAUTHORIZED"); // unknown paths answer alike
  }

  @Test
  void aTextPlainBodyIs415EvenWithTheToken() throws Exception {
    assertRefused(
        post("/pools/pool/backends", ROGUE, auth(), "Content-Type: text/plain"),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    assertRefused(post("/pools/pool/backends", ROGUE, auth()), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertRefused(
        post(
            "/pools/pool/backends",
            ROGUE,
            auth(),
            "Content-Type: application/x-www-form-urlencoded"),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    assertOnlyTheOriginalBackend();
    assertThat(
            post(
                    "/pools/pool/backends",
                    ROGUE,
                    auth(),
                    "Content-Type: application/json; charset=utf-8")
                .status)
        .isEqualTo(201);
  }

  @Test
  void aHostThatIsNotThisApiIs421EvenWithTheToken() throws Exception {
    int port = lb.adminPort();
    for (String host :
        List.of(
            "evil.example:" + port, // DNS rebinding: the page's own name, now pointing here
            "evil.example",
            "127.0.0.1:" + (port == 65535 ? 1 : port + 1),
            "localhost.evil.example:" + port,
            "127.0.0.1:" + port + "@evil.example",
            "")) {
      assertRefused(
          send("POST", "/pools/pool/backends", ROGUE, host, auth(), json()), 421, "MISDIRECTED");
    }
    assertRefused(send("GET", "/config", null, null, auth()), 421, "MISDIRECTED");
    assertOnlyTheOriginalBackend();
    assertThat(lb.metrics())
        .contains("lb_admin_requests_refused_total{reason=\"misdirected\"} 7.0");
    for (String host :
        List.of("127.0.0.1:" + port, "localhost:" + port, "LB.internal:" + port, "[::1]:" + port)) {
      assertThat(send("GET", "/config", null, host, auth()).status).as(host).isEqualTo(200);
    }
  }

  @Test
  void probeEndpointsStayOpenAndReadOnly() throws Exception {
    assertThat(get("/healthz").status).isEqualTo(200);
    assertThat(send("GET", "/healthz", null, "evil.example").status).isEqualTo(200);
    assertThat(get("/rules/web/health").status).isEqualTo(200);
    assertThat(get("/metrics").status).isEqualTo(200);
    assertRefused(post("/healthz", "{}", json()), 401, "UNAUTHORIZED");
    assertRefused(post("/rules/web/health", "{}", json()), 401, "UNAUTHORIZED");
    assertRefused(
        send("DELETE", "/rules/web/health", null, "127.0.0.1:" + lb.adminPort()),
        401,
        "UNAUTHORIZED");
  }

  private void assertOnlyTheOriginalBackend() throws Exception {
    Reply r = get("/pools/pool/backends", auth());
    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).contains("127.0.40.1").doesNotContain("127.0.40.66");
  }

  private static void assertRefused(Reply r, int status, String code) {
    assertThat(r.status).as(r.head + r.body).isEqualTo(status);
    assertThat(r.body).contains("\"error\":\"" + code + "\"");
  }

  private String auth() {
    return "Authorization: " + lb.adminToken().header();
  }

  private static String json() {
    return "Content-Type: application/json";
  }

  private Reply get(String path, String... headers) throws Exception {
    return send("GET", path, null, "127.0.0.1:" + lb.adminPort(), headers);
  }

  private Reply post(String path, String body, String... headers) throws Exception {
    return send("POST", path, body, "127.0.0.1:" + lb.adminPort(), headers);
  }

  /** A raw HTTP/1.1 request: java.net.http will not send an arbitrary Host. */
  private Reply send(String method, String path, String body, String host, String... headers)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", lb.adminPort())) {
      s.setSoTimeout(10_000);
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      lines.add(method + " " + path + " HTTP/1.1");
      if (host != null) {
        lines.add("Host: " + host);
      }
      lines.addAll(List.of(headers));
      lines.add("Content-Length: " + b.length);
      lines.add("Connection: close");
      String head = String.join("\r\n", lines) + "\r\n\r\n";
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(b);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      String text = out.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      return new Reply(
          Integer.parseInt(text.substring(9, 12)),
          text.substring(0, split),
          text.substring(split + 4));
    }
  }

  private record Reply(int status, String head, String body) {}
}
