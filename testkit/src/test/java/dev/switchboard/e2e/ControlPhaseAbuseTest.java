package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.Session;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An authenticated client that abuses the control phase (floods requests without reading the
 * replies, keeps asking for what it may not have) is cut off, and the broker keeps serving others.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ControlPhaseAbuseTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  TestPki pki;
  Broker broker;
  BrokerEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    BrokerConfig cfg =
        TestBrokers.config(pki, "broker-abuse-1")
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(5));
    broker = started.broker(cfg, Clock.systemUTC());
    endpoint = TestBrokers.endpoint(broker);
  }

  @Test
  void aClientFloodingPingsWithoutReadingIsCutOffWhileASessionRuns() throws Exception {
    long before = connectionsOpen();
    SSLSocket flooder = rawTls("alice");
    flooder.getOutputStream().write(StreamFrames.encode(new Message.Hello(1, 1, "flood")));
    CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> flood(flooder, 32 << 20));

    // Meanwhile a real session is set up and carries bytes both ways.
    SessionHarness s =
        SessionHarness.connect(
            pki.controllerOptions("bob"), endpoint, pki.targetOptions("t1"), List.of(endpoint));
    assertEcho(s.controller, s.target);

    await("the flooding connection is cut off")
        .atMost(PATIENCE)
        .until(() -> cutOff("not_reading") == 1);
    long offered = sent.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(offered)
        .as("the broker stopped reading long before the flood ended")
        .isLessThan(32L << 20);
    s.controller.close();
    s.target.close();
    flooder.close();
    await("connections released").atMost(PATIENCE).until(() -> connectionsOpen() == before);
  }

  @Test
  void aTargetAskingForACodeIsRefusedAndClosed() throws Exception {
    try (SSLSocket s = rawTls("t9")) {
      OutputStream out = s.getOutputStream();
      out.write(StreamFrames.encode(new Message.Hello(1, 1, "raw")));
      out.write(StreamFrames.encode(new Message.CodeRequest()));
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertThat(StreamFrames.read(in)).isInstanceOf(Message.HelloOk.class);
      Message m = StreamFrames.read(in);
      assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.WRONG_ROLE);
      assertThat(in.read()).as("closed after the refusal").isEqualTo(-1);
    }
  }

  /** Writes PING frames until {@code limit} bytes or until the broker cuts the connection. */
  private static long flood(SSLSocket s, long limit) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    while (chunk.size() < 64 * 1024) {
      chunk.writeBytes(StreamFrames.encode(new Message.Ping(chunk.size())));
    }
    byte[] bytes = chunk.toByteArray();
    long sent = 0;
    try {
      OutputStream out = s.getOutputStream();
      while (sent < limit) {
        out.write(bytes);
        sent += bytes.length;
      }
    } catch (IOException cutOff) {
      // expected: the broker closed the connection under us
    }
    return sent;
  }

  private static void assertEcho(Session a, Session b) throws IOException {
    byte[] ping = "ping through the broker".getBytes();
    a.output().write(ping);
    a.output().flush();
    assertThat(b.input().readNBytes(ping.length)).isEqualTo(ping);
    b.output().write(ping);
    b.output().flush();
    assertThat(a.input().readNBytes(ping.length)).isEqualTo(ping);
  }

  private SSLSocket rawTls(String name) throws IOException {
    var options = name.startsWith("t") ? pki.targetOptions(name) : pki.controllerOptions(name);
    SSLSocket s =
        (SSLSocket)
            options.sslContext().getSocketFactory().createSocket("127.0.0.1", broker.clientPort());
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    s.setSSLParameters(p);
    s.setSoTimeout(20_000);
    s.startHandshake();
    return s;
  }

  private long cutOff(String reason) {
    return (long) metric("switchboard_clients_cut_off_total{", "reason=\"" + reason + "\"");
  }

  private long connectionsOpen() {
    return (long) metric("switchboard_connections_open{", "");
  }

  private double metric(String prefix, String label) {
    return broker
        .metricsText()
        .lines()
        .filter(l -> l.startsWith(prefix) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
