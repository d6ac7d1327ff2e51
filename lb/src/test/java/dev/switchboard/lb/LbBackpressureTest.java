package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend that stops reading must slow its client down through the balancer (TCP backpressure end
 * to end), and once it reads again every byte arrives, in order. Run once with splicing turned on
 * (a bulk sender switches to splice) and once with the default, copying only. The client
 * half-closes while megabytes are still queued in the balancer's socket: they must all arrive
 * before the FIN.
 */
class LbBackpressureTest {
  private static final String FE = "127.0.14.1";
  private static final String BACKEND = "127.0.14.10";

  /** What the client offers: far more than every socket buffer on the path together can hold. */
  private static final long OFFERED = 512L << 20;

  /**
   * What the path may hold while the backend does not read: the client's send buffer, the
   * balancer's receive and send buffers (4 MiB each at most with this machine's tcp_wmem, and the
   * receive side does not grow while nobody reads), the backend's receive buffer, plus the
   * balancer's own bounded buffer. A balancer that read without limit would take all 512 MiB.
   */
  private static final long BOUND = 64L << 20;

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private LoadBalancer lb;
  private ServerSocket backend;

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    if (lb != null) {
      lb.close();
    }
    if (backend != null) {
      backend.close();
    }
    System.clearProperty("switchboard.lb.splice");
  }

  @Test
  void splicingRelayThrottlesTheClientAndLosesNothing() throws Exception {
    System.setProperty("switchboard.lb.splice", "true");
    assertStalledSenderIsBoundedAndComplete();
  }

  @Test
  void copyingRelayAlsoThrottlesTheClientAndLosesNothing() throws Exception {
    System.setProperty("switchboard.lb.splice", "false");
    assertStalledSenderIsBoundedAndComplete();
  }

  private void assertStalledSenderIsBoundedAndComplete() throws Exception {
    backend = new ServerSocket();
    backend.bind(new InetSocketAddress(BACKEND, 0));
    lb =
        LoadBalancer.start(
            LbConfig.empty()
                .withFrontend(new FrontendConfig("fe", FE))
                .withPool(new PoolConfig("pool", List.of(Backend.of(BACKEND))))
                .withRule(
                    RuleConfig.builder("bulk")
                        .frontend("fe")
                        .pool("pool")
                        .backendPort(backend.getLocalPort())
                        .build()),
            2);

    CountDownLatch startReading = new CountDownLatch(1);
    CompletableFuture<long[]> received =
        CompletableFuture.supplyAsync(
            () -> {
              try (Socket s = backend.accept()) {
                startReading.await();
                return drain(s.getInputStream());
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            pool);

    AtomicLong written = new AtomicLong();
    CRC32 sentCrc = new CRC32();
    try (Socket client = new Socket()) {
      client.connect(lb.address("bulk"), 5000);
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                  OutputStream out = client.getOutputStream();
                  for (long left = OFFERED; left > 0; left -= chunk.length) {
                    fill(chunk, written.get());
                    out.write(chunk);
                    sentCrc.update(chunk);
                    written.addAndGet(chunk.length);
                  }
                  client.shutdownOutput();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              pool);

      long stalledAt = waitUntilStalled(written);
      assertThat(stalledAt)
          .as("bytes the client got rid of while the backend read nothing")
          .isGreaterThan(0)
          .isLessThan(BOUND);

      startReading.countDown();
      sender.get(60, TimeUnit.SECONDS);
      long[] got = received.get(60, TimeUnit.SECONDS);
      assertThat(got[0]).as("bytes received").isEqualTo(OFFERED);
      assertThat(got[1]).as("checksum of what arrived").isEqualTo(sentCrc.getValue());
    }
  }

  /** Waits until the sender has made no progress for 500 ms; returns how far it got. */
  private static long waitUntilStalled(AtomicLong written) {
    AtomicLong last = new AtomicLong(-1);
    await("the sender to stall")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              long now = written.get();
              return now == last.getAndSet(now) && now > 0;
            });
    return last.get();
  }

  /** Distinct content per offset, so reordering or a dropped chunk changes the checksum. */
  private static void fill(byte[] chunk, long offset) {
    for (int i = 0; i < chunk.length; i += 8) {
      long v = offset + i;
      for (int b = 0; b < 8; b++) {
        chunk[i + b] = (byte) (v >>> (8 * b));
      }
    }
  }

  private static long[] drain(InputStream in) throws IOException {
    byte[] buf = new byte[256 * 1024];
    CRC32 crc = new CRC32();
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      crc.update(buf, 0, n);
      total += n;
    }
    return new long[] {total, crc.getValue()};
  }
}
