package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.Bridges;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.Session;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session survives its relay: when the connections to the broker are cut, or the relaying broker
 * goes away, both sides resume on a healthy broker and no byte is lost or duplicated.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SessionResumeTest {
  static final long MB = 1024 * 1024;

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void aSessionSurvivesItsConnectionsBeingCutMidTransfer() throws Exception {
    TestPki pki = TestPki.create(dir);
    Broker broker = started.broker(TestBrokers.config(pki, "b1"), Clock.systemUTC());
    try (TcpSwitch net = new TcpSwitch(address(broker))) {
      BrokerEndpoint via = viaSwitch("b1", net);
      SessionHarness s = connect(pki, via);
      Transfer t = Transfer.start(s, 40 * MB);
      t.awaitProgress(8 * MB);
      net.cutAll(); // the laptop changed networks: both connections reset
      t.assertComplete();
      assertThat(s.controller.resumes()).isGreaterThanOrEqualTo(1);
      assertThat(s.target.resumes()).isGreaterThanOrEqualTo(1);
      assertThat(s.controller.generation()).isGreaterThanOrEqualTo(2);
      s.controller.close();
      s.target.close();
      assertThat(s.controller.endReason()).isNull();
      assertThat(s.target.endReason()).isNull();
    }
  }

  @Test
  void aSessionMovesToTheRegionsOtherBrokerWhenItsRelayDies() throws Exception {
    TestPki pki = TestPki.create(dir);
    List<Broker> pair = twoBrokers(pki, "in-3", "in-4");
    Broker in3 = pair.get(0);
    Broker in4 = pair.get(1);
    try (TcpSwitch net = new TcpSwitch(address(in3))) {
      BrokerEndpoint via = viaSwitch("in-3", net);
      SessionHarness s = connect(pki, via);
      assertThat(s.controller.brokerId()).isEqualTo("in-3");
      Transfer t = Transfer.start(s, 40 * MB);
      t.awaitProgress(8 * MB);
      net.pointAt(address(in4)); // the regional rule fails over to the region's other broker
      net.cutAll(); // in-3 dies without a word to anyone
      in3.close();
      t.assertComplete();
      assertThat(s.controller.brokerId()).isEqualTo("in-4");
      assertThat(s.target.brokerId()).isEqualTo("in-4");
      s.controller.close();
      s.target.close();
      assertThat(s.controller.endReason()).isNull();
    }
  }

  @Test
  void aDrainingBrokerHandsItsSessionsOver() throws Exception {
    TestPki pki = TestPki.create(dir);
    List<Broker> pair = twoBrokers(pki, "a", "b");
    Broker a = pair.get(0);
    Broker b = pair.get(1);
    try (TcpSwitch net = new TcpSwitch(address(a))) {
      BrokerEndpoint via = viaSwitch("a", net);
      SessionHarness s = connect(pki, via);
      Transfer t = Transfer.start(s, 20 * MB);
      t.awaitProgress(4 * MB);
      net.pointAt(address(b));
      a.close(); // SIGTERM: sessions end with BROKER_SHUTDOWN, which the clients resume
      t.assertComplete();
      assertThat(s.controller.brokerId()).isEqualTo("b");
      s.controller.close();
      s.target.close();
    }
  }

  @Test
  void anInteractiveShellKeepsItsStateWhenTheRelayDies() throws Exception {
    TestPki pki = TestPki.create(dir);
    List<Broker> pair = twoBrokers(pki, "in-3", "in-4");
    Broker in3 = pair.get(0);
    Broker in4 = pair.get(1);
    try (TcpSwitch net = new TcpSwitch(address(in3))) {
      BrokerEndpoint via = viaSwitch("in-3", net);
      SessionHarness s = connect(pki, via);
      Process shell =
          new ProcessBuilder("bash", "-i").redirectErrorStream(true).start(); // as --exec 'bash -i'
      CompletableFuture<Void> bridged =
          Blocking.supply(
              () -> {
                try {
                  Bridges.streams(s.target, shell.getInputStream(), shell.getOutputStream());
                  return null;
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      ShellReader out = new ShellReader(s.controller.input());
      send(s.controller, "X=before-the-break; echo pid:$$\n");
      String pid = out.await("pid:(\\d+)");
      net.pointAt(address(in4));
      net.cutAll(); // in-3 dies
      in3.close();
      send(s.controller, "echo pid:$$ x:$X\n");
      assertThat(out.await("pid:(\\d+) x:\\S+")).isEqualTo(pid + " x:before-the-break");
      assertThat(s.controller.brokerId()).isEqualTo("in-4");
      send(s.controller, "exit\n");
      assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
      s.controller.output().close(); // as the controller's stdin ending
      bridged.get(30, TimeUnit.SECONDS);
      assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
      s.controller.close();
    }
  }

  private static void send(Session s, String line) throws Exception {
    s.output().write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    s.output().flush();
  }

  /** Collects a shell's output and waits for a line matching a pattern. */
  static final class ShellReader {
    private final StringBuffer seen = new StringBuffer();

    ShellReader(InputStream in) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[4096];
                try {
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                  }
                } catch (Exception e) {
                  // the session ended
                }
              },
              "shell-reader");
      t.setDaemon(true);
      t.start();
    }

    /** The first group of the first match after what earlier calls consumed. */
    private int from;

    String await(String regex) {
      java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
      String[] found = new String[1];
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                java.util.regex.Matcher m = p.matcher(seen.substring(from));
                if (!m.find()) {
                  return false;
                }
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                if (m.groupCount() == 0 || regex.contains(" x:")) {
                  found[0] = m.group().replaceFirst("^pid:", "");
                }
                from += m.end();
                return true;
              });
      return found[0];
    }
  }

  /** Two brokers in one mesh (a region's pair), their links up. */
  private List<Broker> twoBrokers(TestPki pki, String first, String second) throws Exception {
    List<BrokerConfig> mesh =
        TestBrokers.mesh(List.of(TestBrokers.config(pki, first), TestBrokers.config(pki, second)));
    Broker a = started.broker(mesh.get(0), Clock.systemUTC());
    Broker b = started.broker(mesh.get(1), Clock.systemUTC());
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.meshLinksUp() && b.meshLinksUp());
    return List.of(a, b);
  }

  /** Alice and t1 meet through {@code via} (both sides dial the same hostname, as in the seed). */
  private static SessionHarness connect(TestPki pki, BrokerEndpoint via) throws Exception {
    return SessionHarness.connect(
        pki.controllerOptions("alice"), via, pki.targetOptions("t1"), List.of(via));
  }

  private static InetSocketAddress address(Broker b) {
    return new InetSocketAddress("127.0.0.1", b.clientPort());
  }

  private static BrokerEndpoint viaSwitch(String id, TcpSwitch net) {
    return new BrokerEndpoint(id, "localhost", new InetSocketAddress("127.0.0.1", net.port()));
  }

  /** Pseudo-random bytes each way at once, with SHA-256 checksums on both ends. */
  static final class Transfer {
    final CompletableFuture<String[]> up;
    final CompletableFuture<String[]> down;
    final long[] progress = new long[2];

    private Transfer(SessionHarness s, long bytes) {
      up = pump(s.controller, s.target, bytes, 1, 0);
      down = pump(s.target, s.controller, bytes, 2, 1);
    }

    static Transfer start(SessionHarness s, long bytes) {
      return new Transfer(s, bytes);
    }

    void awaitProgress(long bytes) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> progress[0] >= bytes && progress[1] >= bytes);
    }

    void assertComplete() throws Exception {
      String[] u = up.get(150, TimeUnit.SECONDS);
      String[] d = down.get(150, TimeUnit.SECONDS);
      assertThat(u[1]).as("bytes controller -> target").isEqualTo(u[0]);
      assertThat(d[1]).as("bytes target -> controller").isEqualTo(d[0]);
    }

    private CompletableFuture<String[]> pump(
        Session from, Session to, long bytes, long seed, int slot) {
      CompletableFuture<String> sent =
          Blocking.supply(
              () -> {
                try {
                  MessageDigest md = MessageDigest.getInstance("SHA-256");
                  Random r = new Random(seed);
                  byte[] buf = new byte[32 * 1024];
                  OutputStream out = from.output();
                  for (long left = bytes; left > 0; ) {
                    int n = (int) Math.min(buf.length, left);
                    r.nextBytes(buf);
                    out.write(buf, 0, n);
                    md.update(buf, 0, n);
                    left -= n;
                  }
                  out.flush();
                  out.close();
                  return HexFormat.of().formatHex(md.digest());
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      CompletableFuture<String> got =
          Blocking.supply(
              () -> {
                try {
                  MessageDigest md = MessageDigest.getInstance("SHA-256");
                  InputStream in = to.input();
                  byte[] buf = new byte[64 * 1024];
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    progress[slot] += n;
                  }
                  return HexFormat.of().formatHex(md.digest());
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      return sent.thenCombine(got, (a, b) -> new String[] {a, b});
    }
  }
}
