package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer with a valid broker certificate that floods the mesh listener with requests and never
 * reads the answers is cut off; sessions across the mesh keep working.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MeshListenerAbuseTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final long FLOOD = 32L << 20;
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void aPeerFloodingPingsWithoutReadingIsCutOffWhileASessionCrossesTheMesh() throws Exception {
    TestPki pki = TestPki.create(dir);
    List<Broker> brokers = new ArrayList<>();
    for (BrokerConfig c :
        TestBrokers.mesh(
            List.of(
                TestBrokers.config(pki, "broker-mesh-1"),
                TestBrokers.config(pki, "broker-mesh-2")))) {
      brokers.add(started.broker(c, Clock.systemUTC()));
    }
    await("mesh links up")
        .atMost(PATIENCE)
        .until(() -> brokers.stream().allMatch(Broker::meshLinksUp));
    Broker attacked = brokers.get(1);

    SSLSocket flooder = meshTls(pki.broker("broker-flood"), attacked.meshAddress());
    flooder.getOutputStream().write(StreamFrames.encode(new Message.MeshHello("broker-flood")));
    CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> flood(flooder));

    // Meanwhile a session whose claim goes to the attacked broker's mesh listener.
    Controller c =
        Controller.requestCode(
            pki.controllerOptions("alice"),
            TestBrokers.endpoint(brokers.get(0)),
            (host, port) -> new InetSocketAddress("127.0.0.1", port),
            SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> SingleBrokerSessionTest.await(c));
    Session t =
        Target.join(
            pki.targetOptions("t1"),
            List.of(TestBrokers.endpoint(attacked)),
            c.code(),
            SessionEvents.NONE);
    MeshSessionTest.exchange(cs.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), t);

    await("the flooding peer is cut off")
        .atMost(PATIENCE)
        .until(() -> metric(attacked, "switchboard_mesh_connections_cut_off_total{") == 1);
    assertThat(sent.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("the broker stopped reading long before the flood ended")
        .isLessThan(FLOOD);
    flooder.close();
    assertThat(attacked.meshLinksUp()).isTrue();
  }

  /** Writes PING frames until {@link #FLOOD} bytes or until the broker cuts the connection. */
  private static long flood(SSLSocket s) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    while (chunk.size() < 64 * 1024) {
      chunk.writeBytes(StreamFrames.encode(new Message.Ping(chunk.size())));
    }
    byte[] bytes = chunk.toByteArray();
    long sent = 0;
    try {
      OutputStream out = s.getOutputStream();
      while (sent < FLOOD) {
        out.write(bytes);
        sent += bytes.length;
      }
    } catch (IOException cutOff) {
      // expected: the broker closed the connection under us
    }
    return sent;
  }

  private static SSLSocket meshTls(TlsMaterial tls, InetSocketAddress mesh) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        tls.keyManagerFactory().getKeyManagers(),
        tls.trustManagerFactory().getTrustManagers(),
        null);
    SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket(mesh.getAddress(), mesh.getPort());
    s.setSoTimeout(20_000);
    s.startHandshake();
    return s;
  }

  private static long metric(Broker b, String prefix) {
    return Math.round(
        b.metricsText()
            .lines()
            .filter(l -> l.startsWith(prefix))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum());
  }
}
