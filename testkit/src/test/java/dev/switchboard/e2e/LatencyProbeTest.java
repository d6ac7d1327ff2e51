package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.LatencyProbe;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LatencyProbeTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  /** The broker answers only after the probe's deadline; the late connection is still closed. */
  @Test
  void aProbeAnsweredAfterItsDeadlineClosesItsConnection() throws Exception {
    TestPki pki = TestPki.create(dir);
    Broker broker = started.broker(TestBrokers.config(pki, "broker-late-1"), Clock.systemUTC());
    HeldRelay relay = started.register(new HeldRelay(broker.clientAddress()));
    BrokerEndpoint late = new BrokerEndpoint(broker.id(), "localhost", relay.address());
    ClientOptions alice =
        pki.controllerOptions("alice")
            .withConnectTimeout(Duration.ofSeconds(60))
            .withProbe(2, Duration.ofMillis(200));

    List<ProbeResult> results = LatencyProbe.measure(alice, List.of(late));
    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reachable()).isFalse();
              assertThat(r.error()).isEqualTo("no answer within 200 ms");
            });
    assertThat(relay.closedByClient.get()).isZero();

    relay.release.countDown(); // the broker's answers arrive now: the probe completes, late
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(relay.pongsRelayed.get()).as("probe completed").isPositive();
              assertThat(relay.closedByClient.get()).as("client closed its side").isEqualTo(1);
            });
  }

  /**
   * Relays one client to the broker: client bytes at once, broker bytes only after {@link
   * #release}; counts the client closing its side (EOF from the client, not a close of ours).
   */
  private static final class HeldRelay implements AutoCloseable {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger closedByClient = new AtomicInteger();
    final AtomicInteger pongsRelayed = new AtomicInteger();
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    HeldRelay(InetSocketAddress broker) throws IOException {
      server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
      threads.execute(
          () -> {
            try {
              Socket client = server.accept();
              Socket up = new Socket(broker.getAddress(), broker.getPort());
              sockets.add(client);
              sockets.add(up);
              InputStream fromClient = client.getInputStream();
              OutputStream toBroker = up.getOutputStream();
              threads.execute(
                  () -> {
                    if (pipe(fromClient, toBroker, null)) {
                      closedByClient.incrementAndGet();
                    }
                  });
              release.await();
              pipe(up.getInputStream(), client.getOutputStream(), pongsRelayed);
            } catch (IOException | InterruptedException e) {
              // closed by the test
            }
          });
    }

    InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Copies until EOF (true) or a socket error, such as a close of ours (false). */
    private static boolean pipe(InputStream in, OutputStream out, AtomicInteger chunks) {
      byte[] b = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(b)) >= 0; ) {
          out.write(b, 0, n);
          out.flush();
          if (chunks != null) {
            chunks.incrementAndGet();
          }
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
      threads.shutdownNow();
    }
  }
}
