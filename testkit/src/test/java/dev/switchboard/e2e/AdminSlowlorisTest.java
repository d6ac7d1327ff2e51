package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.AdminSettings;
import dev.switchboard.broker.Broker;
import dev.switchboard.testkit.LegitSession;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris on the admin port: half-sent requests that fill the connection cap hang until the
 * request timeout (one beyond the cap displaces the one waiting longest), and client sessions on
 * the same broker work meanwhile.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminSlowlorisTest {
  private static final int CAP = 20;
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  private final List<Socket> slow = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (Socket s : slow) {
      s.close();
    }
  }

  @Test
  void while20HalfSentAdminRequestsHangASessionWorksAndTheyAreClosedWithoutAnAnswer()
      throws Exception {
    TestPki pki = TestPki.create(dir);
    // All from 127.0.0.1: the per-source cap is the whole cap here.
    AdminSettings admin =
        new AdminSettings(dir.resolve("admin.token"), Duration.ofSeconds(3), CAP, CAP);
    Broker b =
        started.broker(
            TestBrokers.config(pki, "broker-slow-1").withAdmin(admin), Clock.systemUTC());
    for (int i = 0; i < CAP + 1; i++) {
      Socket s = new Socket();
      slow.add(s);
      s.connect(b.adminAddress(), 5000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes());
    }
    await("the admin connection cap is full")
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(b, "switchboard_admin_connections_open") == CAP);

    LegitSession.assertWorks(pki, b);

    for (Socket s : slow) {
      assertThat(readUntilClosed(s)).as("closed without an answer").isEmpty();
    }
    // The one beyond the cap displaced the oldest half-sent request; the rest timed out.
    assertThat(metric(b, "switchboard_admin_connections_evicted_total")).isEqualTo(1);
    assertThat(metric(b, "switchboard_admin_connections_refused_total")).isZero();
    assertThat(metric(b, "switchboard_admin_request_timeouts_total")).isEqualTo(CAP);
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

  private static long metric(Broker b, String name) {
    return Math.round(
        b.metricsText()
            .lines()
            .filter(l -> l.startsWith(name + "{"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum());
  }
}
