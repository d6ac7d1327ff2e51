package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.Blocking;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code controller --listen/--forward} and {@code target --to ... --to ...}: many connections,
 * each a stream of its own, in one session, through the commands as a user runs them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamCommandsTest {
  @TempDir Path dir;
  private final List<ServerSocket> services = new ArrayList<>();

  @Test
  void twoForwardsAndAListenCarryConnectionsUntilCtrlC() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    pki.target("t1");
    ServerSocket a = service("A");
    ServerSocket b = service("B");
    int unlisted;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      unlisted = s.getLocalPort();
    }
    try (Broker broker =
        TestBrokers.start(pki, TestBrokers.config(pki, "broker-fw-1"), Clock.systemUTC())) {
      String at = "localhost:" + broker.clientPort();
      RcCommandsTest.Run ctl =
          new RcCommandsTest.Run(
              "controller",
              "--broker",
              at,
              "--pki",
              pki.dir().toString(),
              "--name",
              "alice",
              "--listen",
              "127.0.0.1:0",
              "--forward",
              "127.0.0.1:0:127.0.0.1:" + a.getLocalPort(),
              "--forward",
              "0:127.0.0.1:" + b.getLocalPort(),
              "--forward",
              "127.0.0.1:0:127.0.0.1:" + unlisted);
      String code = ctl.waitForOut(Pattern.compile("Connection code: (\\S+)"));
      RcCommandsTest.Run tgt =
          new RcCommandsTest.Run(
              "target",
              "--broker",
              at,
              "--pki",
              pki.dir().toString(),
              "--name",
              "t1",
              "--code",
              code,
              "--to",
              "127.0.0.1:" + b.getLocalPort(),
              "--to",
              "127.0.0.1:" + a.getLocalPort());
      int listen = port(ctl, "the target's default service");
      int toA = port(ctl, "tcp:127.0.0.1:" + a.getLocalPort());
      int toB = port(ctl, "tcp:127.0.0.1:" + b.getLocalPort());
      int toUnlisted = port(ctl, "tcp:127.0.0.1:" + unlisted);

      // Both forwards at once, several MB each with checksums; the default service is B (first
      // --to).
      List<CompletableFuture<String>> flows = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        flows.add(Blocking.supply(() -> roundTrip(toA, 3 << 20)));
        flows.add(Blocking.supply(() -> roundTrip(toB, 3 << 20)));
      }
      assertThat(flows.stream().map(CompletableFuture::join)).containsExactly("A", "B", "A", "B");
      // The VNC story: a viewer that reconnects to --listen gets a new stream each time.
      assertThat(roundTrip(listen, 1000)).isEqualTo("B");
      assertThat(roundTrip(listen, 1000)).isEqualTo("B");

      try (Socket s = new Socket("127.0.0.1", toUnlisted)) {
        assertThat(s.getInputStream().readAllBytes()).isEmpty();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  ctl.err
                      .toString()
                      .contains(
                          "stream to tcp:127.0.0.1:"
                              + unlisted
                              + " refused: SERVICE_NOT_ALLOWED — the target does not offer"));
      assertThat(tgt.err.toString())
          .contains(
              "serving tcp:127.0.0.1:"
                  + b.getLocalPort()
                  + " (default), tcp:127.0.0.1:"
                  + a.getLocalPort());
      assertThat(ctl.code).isNotDone();
      ctl.stopController();
      assertThat(ctl.exit()).as(ctl.err.toString()).isZero();
      assertThat(tgt.exit()).as(tgt.err.toString()).isZero();
      assertThat(ctl.err.toString()).contains("stopping: ending the session");
    }
  }

  @Test
  void aForwardThatDoesNotParseIsAUsageError() throws Exception {
    RcCommandsTest.Run r =
        new RcCommandsTest.Run("controller", "--broker", "127.0.0.1:1", "--forward", "22");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err.toString())
        .startsWith(
            "switchboard: --forward: expected [LOCAL_HOST:]LOCAL_PORT:TARGET_HOST:TARGET_PORT")
        .hasLineCount(1);
  }

  private static int port(RcCommandsTest.Run ctl, String service) {
    return Integer.parseInt(
        ctl.waitForOut(
            Pattern.compile("listening on 127.0.0.1:(\\d+) for " + Pattern.quote(service))));
  }

  /**
   * Sends {@code size} random bytes and half-closes; the service answers its name, then the SHA-256
   * of what it got. Returns the name once the digest matched.
   */
  private static String roundTrip(int port, int size) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      byte[] data = new byte[size];
      new Random(port + size).nextBytes(data);
      OutputStream out = s.getOutputStream();
      out.write(data);
      s.shutdownOutput();
      byte[] reply = s.getInputStream().readAllBytes();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
      assertThat(reply).hasSize(1 + digest.length);
      assertThat(java.util.Arrays.copyOfRange(reply, 1, reply.length)).isEqualTo(digest);
      return new String(reply, 0, 1, StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service that answers each connection with its one-letter name and a digest of the input. */
  private ServerSocket service(String name) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    services.add(server);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  MessageDigest md = MessageDigest.getInstance("SHA-256");
                  byte[] buf = new byte[64 * 1024];
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                  }
                  s.getOutputStream().write(name.getBytes(StandardCharsets.US_ASCII));
                  s.getOutputStream().write(md.digest());
                } catch (Exception e) {
                  // closed at the end of the test
                }
              }
            },
            "test-service-" + name);
    t.setDaemon(true);
    t.start();
    return server;
  }

  @AfterEach
  void closeServices() throws IOException {
    for (ServerSocket s : services) {
      s.close();
    }
  }
}
