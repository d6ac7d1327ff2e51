package dev.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.metrics.Exposition;
import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a running broker is valid, typed Prometheus text. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
  /** Peer ids come from the operator's config; this one needs escaping in a label value. */
  private static final String ODD_PEER = "peer \"q\" \\ end";

  private static Broker broker;
  private static Exposition scraped;

  @BeforeAll
  static void startBrokerAndFailOneJoin(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.inMemory();
    TlsMaterial tls =
        TlsMaterial.of(
            ca.certificate(),
            ca.issue(
                Role.BROKER,
                "broker-metrics",
                List.of("localhost"),
                List.of("127.0.0.1"),
                Duration.ofDays(1)));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    HostPort any = new HostPort("127.0.0.1", 0);
    BrokerConfig config =
        BrokerConfig.defaults(
                "broker-metrics",
                "localhost",
                any,
                any,
                Path.of("unused-ca.pem"),
                Path.of("unused.pem"),
                Path.of("unused-key.pem"))
            .withMesh(
                any,
                List.of(
                    new PeerConfig(
                        ODD_PEER,
                        "localhost",
                        new HostPort("127.0.0.1", closedPort),
                        new HostPort("127.0.0.1", closedPort))))
            .withAdmin(AdminSettings.defaultsIn(dir));
    broker = Broker.start(config, tls, Clock.systemUTC());
    assertThat(joinWithUnknownCode(ca, broker.clientAddress())).isEqualTo(ErrorCode.CODE_UNKNOWN);
    scraped = Exposition.scrape(broker.adminAddress());
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void servesTheTextFormatWithOneTypePerFamily() {
    assertThat(scraped.contentType).isEqualTo(Exposition.CONTENT_TYPE);
    assertThat(scraped.family("switchboard_connections_total").type()).isEqualTo("counter");
    assertThat(scraped.family("switchboard_connections_open").type()).isEqualTo("gauge");
    assertThat(scraped.family("switchboard_sessions_active").type()).isEqualTo("gauge");
    assertThat(scraped.family("switchboard_codes_open").type()).isEqualTo("gauge");
    assertThat(scraped.family("jvm_threads_current").type()).isEqualTo("gauge");
    assertThat(scraped.family("switchboard_session_duration_seconds").type())
        .isEqualTo("histogram");
    assertThat(scraped.text).contains("# TYPE switchboard_mesh_peer_up gauge\n");
    for (Exposition.Sample s : scraped.family("switchboard_joins_total").samples()) {
      assertThat(s.labels()).isEqualTo(Map.of("broker", "broker-metrics"));
    }
  }

  @Test
  void refusedJoinsAreCountedOnlyByReason() {
    Exposition.Family f = scraped.family("switchboard_failed_joins_total");
    assertThat(f.type()).isEqualTo("counter");
    assertThat(f.samples())
        .containsExactly(
            new Exposition.Sample(
                "switchboard_failed_joins_total",
                Map.of("broker", "broker-metrics", "reason", "code_unknown"),
                1.0));
  }

  @Test
  void escapesOperatorChosenLabelValues() {
    assertThat(scraped.text).contains("peer=\"peer \\\"q\\\" \\\\ end\"");
    assertThat(scraped.family("switchboard_mesh_peer_up").samples())
        .containsExactly(
            new Exposition.Sample(
                "switchboard_mesh_peer_up",
                Map.of("broker", "broker-metrics", "peer", ODD_PEER),
                0.0));
  }

  @Test
  void prometheusClientParserReadsTheSameSamples() throws Exception {
    Optional<JsonNode> parsed = scraped.parsedByPrometheusClient();
    assumeTrue(
        parsed.isPresent(),
        "python3-prometheus-client is not installed "
            + "(apt-get install python3-prometheus-client); only the Java checks ran");
    Map<String, Double> theirs = Exposition.samplesOf(parsed.get());
    assertThat(theirs).isEqualTo(scraped.samples());
    for (JsonNode f : parsed.get()) {
      if (f.get("name").asText().equals("switchboard_failed_joins")) {
        assertThat(f.get("type").asText()).isEqualTo("counter");
        assertThat(f.get("samples").get(0).get("labels").has("reason")).isTrue();
      }
    }
    assertThat(theirs)
        .containsKey("switchboard_mesh_peer_up{broker=broker-metrics, peer=" + ODD_PEER + "}");
  }

  private static ErrorCode joinWithUnknownCode(CertificateAuthority ca, InetSocketAddress broker)
      throws Exception {
    TlsMaterial target = TlsMaterial.of(ca.certificate(), ca.issue(Role.TARGET, "t1"));
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        target.keyManagerFactory().getKeyManagers(),
        target.trustManagerFactory().getTrustManagers(),
        new SecureRandom());
    try (SSLSocket tls =
        (SSLSocket) ctx.getSocketFactory().createSocket(broker.getAddress(), broker.getPort())) {
      tls.setSoTimeout(10_000);
      tls.startHandshake();
      tls.getOutputStream()
          .write(
              StreamFrames.encode(
                  new Message.Hello(Frames.VERSION, Frames.VERSION, "metrics-test")));
      tls.getOutputStream().write(StreamFrames.encode(new Message.Join("ABCDE-FGHJK")));
      DataInputStream in = new DataInputStream(tls.getInputStream());
      assertThat(StreamFrames.read(in)).isInstanceOf(Message.HelloOk.class);
      return ((Message.Error) StreamFrames.read(in)).code();
    }
  }
}
