package dev.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.config.ConfigException;
import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener against a client that misbehaves: half-sent requests, too many connections, no
 * or a wrong bearer token. Real sockets on loopback.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminListenerTest {
  @TempDir Path dir;
  private TlsMaterial tls;
  private final List<Broker> brokers = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void pki() throws Exception {
    CertificateAuthority ca = CertificateAuthority.inMemory();
    tls =
        TlsMaterial.of(
            ca.certificate(),
            ca.issue(
                Role.BROKER, "b1", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1)));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    brokers.forEach(Broker::close);
  }

  @Test
  void halfSentRequestsAreClosedAfterTheRequestTimeoutWhileHealthzAnswers() throws Exception {
    Broker b = start(new AdminSettings(dir.resolve("t"), Duration.ofMillis(500), 64, 64));
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Socket s = connect(b);
      s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes());
      slow.add(s);
    }
    assertThat(get(b, "/healthz", null).statusCode()).isEqualTo(200);
    for (Socket s : slow) {
      assertThat(readUntilClosed(s)).isEmpty(); // closed without an answer
    }
    assertThat(metric(b, "switchboard_admin_request_timeouts_total")).isGreaterThanOrEqualTo(20);
    assertThat(get(b, "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientTricklingBytesIsClosedToo() throws Exception {
    Broker b = start(new AdminSettings(dir.resolve("t"), Duration.ofMillis(500), 64));
    Socket s = connect(b);
    OutputStream out = s.getOutputStream();
    out.write("GET /healthz HTTP/1.1\r\nX-Slow: ".getBytes());
    // A read timeout would be reset by every byte; the request deadline is not. Past the header
    // limit (8 KiB) the codec would refuse anyway, after 800 s at this pace.
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 8000; i++) {
                out.write('a');
                out.flush();
                Thread.sleep(100);
              }
            })
        .isInstanceOf(SocketException.class);
    assertThat(metric(b, "switchboard_admin_request_timeouts_total")).isEqualTo(1);
  }

  @Test
  void keepAliveConnectionsGetTheDeadlineAgainAfterEachAnswer() throws Exception {
    Broker b = start(new AdminSettings(dir.resolve("t"), Duration.ofMillis(500), 64));
    Socket s = connect(b);
    s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
    String answered = readUntilClosed(s);
    assertThat(answered).startsWith("HTTP/1.1 200 OK").endsWith("ok\n");
    assertThat(metric(b, "switchboard_admin_request_timeouts_total")).isEqualTo(1);
  }

  @Test
  void aConnectionBeyondTheCapDisplacesTheOneWaitingLongestForARequest() throws Exception {
    Broker b = start(new AdminSettings(dir.resolve("t"), Duration.ofMinutes(5), 2));
    Socket first = connect(b);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(b, "switchboard_admin_connections_open") == 1);
    Socket second = connect(b);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(b, "switchboard_admin_connections_open") == 2);
    Socket third = connect(b);
    assertThat(readUntilClosed(first)).isEmpty();
    assertThat(healthz(third)).startsWith("HTTP/1.1 200");
    assertThat(healthz(second)).startsWith("HTTP/1.1 200");
    assertThat(metric(b, "switchboard_admin_connections_evicted_total")).isEqualTo(1);
    assertThat(metric(b, "switchboard_admin_connections_refused_total")).isZero();
    for (Socket s : sockets) {
      s.close();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(b, "switchboard_admin_connections_open") == 0);
  }

  @Test
  void oneSourceOverItsCapDisplacesOnlyItsOwnConnections() throws Exception {
    Broker b = start(new AdminSettings(dir.resolve("t"), Duration.ofMinutes(5), 64, 2));
    Socket quiet = connect(b, "127.0.5.1");
    List<Socket> noisy = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      noisy.add(connect(b, "127.0.5.2"));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(b, "switchboard_admin_connections_evicted_total") == 8);
    assertThat(healthz(quiet)).startsWith("HTTP/1.1 200");
    int answered = 0;
    for (Socket s : noisy) {
      answered += healthz(s).startsWith("HTTP/1.1 200") ? 1 : 0;
    }
    assertThat(answered).as("noisy connections left open").isEqualTo(2);
    assertThat(metric(b, "switchboard_admin_connections_evicted_total")).isEqualTo(8);
  }

  @Test
  void slowlorisFromManySourcesDoesNotKeepHealthProbesOut() throws Exception {
    // Requests never time out here: only the caps stand between the attacker and the probes.
    Broker b = start(new AdminSettings(dir.resolve("t"), Duration.ofMinutes(5), 64));
    int attackers = 12;
    for (int i = 0; i < 120; i++) {
      halfRequest(connect(b, "127.0.6." + (1 + i % attackers)));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(b, "switchboard_admin_connections_open") == 64);
    for (int probe = 0; probe < 30; probe++) {
      // The attacker keeps opening connections between the probes.
      for (int j = 0; j < 5; j++) {
        halfRequest(connect(b, "127.0.6." + (1 + (probe * 5 + j) % attackers)));
      }
      try (Socket s = connect(b, "127.0.7." + (1 + probe % 3))) {
        assertThat(healthz(s)).as("probe %d", probe).startsWith("HTTP/1.1 200 OK");
      }
    }
    assertThat(metric(b, "switchboard_admin_connections_open")).isLessThanOrEqualTo(64);
    assertThat(metric(b, "switchboard_admin_connections_evicted_total")).isGreaterThan(0);
  }

  @Test
  void statusNeedsTheTokenAndProbesDoNot() throws Exception {
    Path file = dir.resolve("admin.token");
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(err, log), true, StandardCharsets.UTF_8));
    String token;
    try {
      Broker b = start(new AdminSettings(file, Duration.ofSeconds(10), 64));
      token = Files.readString(file).strip();

      HttpResponse<String> none = get(b, "/status", null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(none.body()).contains("admin token");
      assertThat(get(b, "/status", "Bearer " + token.substring(1)).statusCode()).isEqualTo(401);
      assertThat(get(b, "/status", "Basic " + token).statusCode()).isEqualTo(401);
      assertThat(get(b, "/status?token=" + token, null).statusCode()).isEqualTo(401);
      assertThat(get(b, "/nothing", null).statusCode()).isEqualTo(401); // no map of the API

      HttpResponse<String> ok = get(b, "/status", "Bearer " + token);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"id\":\"b1\"");
      assertThat(get(b, "/healthz", null).statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(b, "/metrics", null);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).doesNotContain(token);
      assertThat(metric(b, "switchboard_admin_unauthorized_total")).isEqualTo(5);
      b.close();
    } finally {
      System.setErr(err);
    }
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("token file " + file) // the capture works: the start line names the file
        .doesNotContain(token);
  }

  @Test
  void theTokenFileIsCreatedOwnerOnlyAndKeptAcrossRestarts() throws Exception {
    Path file = dir.resolve("state/admin.token");
    AdminSettings settings = new AdminSettings(file, Duration.ofSeconds(10), 64);
    Broker first = start(settings);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String token = Files.readString(file).strip();
    first.close();
    Broker second = start(settings);
    assertThat(get(second, "/status", "Bearer " + token).statusCode()).isEqualTo(200);
    assertThat(Files.readString(file).strip()).isEqualTo(token);
  }

  @Test
  void aTokenFileOthersMayReadIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve("admin.token");
    start(new AdminSettings(file, Duration.ofSeconds(10), 64)).close();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> start(new AdminSettings(file, Duration.ofSeconds(10), 64)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("chmod 600");
  }

  private Broker start(AdminSettings admin) throws IOException {
    HostPort any = new HostPort("127.0.0.1", 0);
    BrokerConfig c =
        BrokerConfig.defaults(
                "b1",
                "localhost",
                any,
                any,
                dir.resolve("ca.pem"),
                dir.resolve("b1.pem"),
                dir.resolve("b1-key.pem"))
            .withAdmin(admin);
    Broker b = Broker.start(c, tls, Clock.systemUTC());
    brokers.add(b);
    return b;
  }

  private Socket connect(Broker b) throws IOException {
    return connect(b, "127.0.0.1");
  }

  private Socket connect(Broker b, String from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(b.adminAddress(), 5000);
    s.setSoTimeout(30_000);
    return s;
  }

  private static void halfRequest(Socket s) throws IOException {
    s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes());
  }

  /** Sends {@code GET /healthz} and returns the answer's status line (empty if closed). */
  private static String healthz(Socket s) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      InputStream in = s.getInputStream();
      for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
        line.write(c);
      }
    } catch (SocketException reset) {
      // closed without an answer
    }
    return line.toString(StandardCharsets.US_ASCII).strip();
  }

  /** Everything the broker sends until it closes the connection (a read timeout fails). */
  private static String readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (SocketException reset) {
      // a reset is a close too
    }
    return got.toString(StandardCharsets.US_ASCII);
  }

  private HttpResponse<String> get(Broker b, String path, String authorization)
      throws IOException, InterruptedException {
    InetSocketAddress a = b.adminAddress();
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double metric(Broker b, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + name + "\\{broker=\"b1\"} (\\S+)$").matcher(b.metricsText());
    assertThat(m.find()).as("%s in the metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Writes to the real stream and to a copy. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
