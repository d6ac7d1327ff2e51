package dev.switchboard.bench;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Session;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens {@code COUNT} relayed sessions (a controller and a target each) through one broker with a
 * bounded pool, prints {@code OPEN <n> FAILED <f> SECONDS <s>}, keeps them idle until its stdin
 * ends, then closes them. Idle sessions hold only their sockets, no thread.
 *
 * <p>Usage: {@code java -Xss256k -cp switchboard-bench.jar dev.switchboard.bench.IdleClients DIR
 * PORT COUNT CONCURRENCY MAX_PER_SECOND}
 */
public final class IdleClients {
  private IdleClients() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    double perSecond = Double.parseDouble(args[4]);
    ClientOptions ctl = BenchPki.options(dir, BenchPki.CONTROLLER);
    ClientOptions tgt = BenchPki.options(dir, BenchPki.TARGET);
    BrokerEndpoint broker =
        new BrokerEndpoint(BenchPki.BROKER, "localhost", new InetSocketAddress("127.0.0.1", port));

    ConcurrentLinkedQueue<Session> open = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService setup = Executors.newFixedThreadPool(concurrency);
    ExecutorService waiters = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      // Paces the set-up rate: session i starts no earlier than i / perSecond seconds in.
      long notBefore = start + (long) (i / perSecond * 1e9);
      setup.execute(
          () -> {
            long wait = notBefore - System.nanoTime();
            if (wait > 0) {
              sleepNanos(wait);
            }
            try {
              Session[] s = RelayedSessions.open(ctl, tgt, broker, waiters);
              open.add(s[0]);
              open.add(s[1]);
            } catch (Exception e) {
              if (failed.incrementAndGet() <= 5) {
                System.err.println("session set-up failed: " + e);
              }
            }
            int n = done.incrementAndGet();
            if (n % 1000 == 0) {
              System.out.println("PROGRESS " + n);
              System.out.flush();
            }
          });
    }
    setup.shutdown();
    setup.awaitTermination(1, TimeUnit.HOURS);
    waiters.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "OPEN %d FAILED %d SECONDS %.1f FDS %d THREADS %d%n",
        open.size() / 2,
        failed.get(),
        seconds,
        ProcStats.openFds(ProcessHandle.current().pid()),
        ProcStats.threads(ProcessHandle.current().pid()));
    System.out.flush();

    InputStream in = System.in;
    while (in.read() >= 0) {
      // idle until the driver closes our stdin
    }
    for (Session s : open) {
      s.close();
    }
    System.out.println("CLOSED");
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Command line for a child process running this class. */
  static List<String> command(Path dir, int port, int count, int concurrency, double perSecond) {
    return BrokerProcess.javaCommand(
        List.of("-Xss256k", "-Xmx3g"),
        IdleClients.class,
        List.of(
            dir.toString(),
            Integer.toString(port),
            Integer.toString(count),
            Integer.toString(concurrency),
            Double.toString(perSecond)));
  }
}
