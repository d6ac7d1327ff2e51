package dev.switchboard.bench;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One load generator of {@link ScaleBench}: opens {@code COUNT} relayed sessions (a controller and
 * a target each, from source address {@code BIND}) through one broker, prints {@code OPEN <n>
 * FAILED <f> SECONDS <s>}, then obeys lines on stdin:
 *
 * <ul>
 *   <li>{@code start N}: in the first N sessions the controller writes 16 KiB writes as fast as the
 *       session takes them and the target reads them (one direction, one writer and one reader
 *       thread per session); prints {@code STARTED N};
 *   <li>{@code mark}: prints {@code MARK b0,b1,...}, the bytes each active session's target has
 *       read so far;
 *   <li>{@code stop}: the writers stop; prints {@code STOPPED}.
 * </ul>
 *
 * End of input closes every session and exits. Idle sessions hold only their sockets, no thread.
 *
 * <p>Usage: {@code java -Xss256k -cp switchboard-bench.jar dev.switchboard.bench.ScaleClients DIR
 * PORT COUNT CONCURRENCY MAX_PER_SECOND BIND}
 */
public final class ScaleClients {
  private static final int CHUNK = 16 * 1024;
  private static final byte[] PAYLOAD = new byte[CHUNK];

  static {
    new Random(7).nextBytes(PAYLOAD);
  }

  private final List<Session[]> open = new ArrayList<>();
  private volatile boolean stop;
  private AtomicLongArray received = new AtomicLongArray(0);

  private ScaleClients() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    double perSecond = Double.parseDouble(args[4]);
    InetAddress bind = InetAddress.getByName(args[5]);
    ScaleClients c = new ScaleClients();
    c.open(dir, port, count, concurrency, perSecond, bind);
    c.obey(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }

  private void open(
      Path dir, int port, int count, int concurrency, double perSecond, InetAddress bind)
      throws Exception {
    ClientOptions ctl = BenchPki.options(dir, BenchPki.CONTROLLER).withBindAddress(bind);
    ClientOptions tgt = BenchPki.options(dir, BenchPki.TARGET).withBindAddress(bind);
    BrokerEndpoint broker =
        new BrokerEndpoint(BenchPki.BROKER, "localhost", new InetSocketAddress("127.0.0.1", port));
    ConcurrentLinkedQueue<Session[]> opened = new ConcurrentLinkedQueue<>();
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
              opened.add(RelayedSessions.open(ctl, tgt, broker, waiters));
            } catch (Exception e) {
              if (failed.incrementAndGet() <= 5) {
                System.err.println("session set-up failed: " + e);
              }
            }
            int n = done.incrementAndGet();
            if (n % 1000 == 0) {
              say("PROGRESS " + n);
            }
          });
    }
    setup.shutdown();
    setup.awaitTermination(1, TimeUnit.HOURS);
    waiters.shutdown();
    open.addAll(opened);
    long pid = ProcessHandle.current().pid();
    say(
        String.format(
            "OPEN %d FAILED %d SECONDS %.1f FDS %d THREADS %d",
            open.size(),
            failed.get(),
            (System.nanoTime() - start) / 1e9,
            ProcStats.openFds(pid),
            ProcStats.threads(pid)));
  }

  private void obey(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split("\\s+");
      switch (w[0]) {
        case "start" -> start(Math.min(Integer.parseInt(w[1]), open.size()));
        case "mark" -> say(mark());
        case "stop" -> {
          stop = true;
          say("STOPPED");
        }
        default -> say("UNKNOWN " + line);
      }
    }
    stop = true;
    for (Session[] s : open) {
      s[0].close();
      s[1].close();
    }
    say("CLOSED");
  }

  private void start(int n) {
    received = new AtomicLongArray(n);
    for (int i = 0; i < n; i++) {
      Session[] s = open.get(i);
      int slot = i;
      daemon("writer-" + i, () -> write(s[0].output()));
      daemon("reader-" + i, () -> read(s[1].input(), slot));
    }
    say("STARTED " + n);
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(null, r, name, 256 * 1024);
    t.setDaemon(true);
    t.start();
  }

  private void write(OutputStream out) {
    try {
      while (!stop) {
        out.write(PAYLOAD);
      }
      out.flush();
    } catch (IOException e) {
      if (!stop) {
        System.err.println("writer failed: " + e);
      }
    }
  }

  private void read(InputStream in, int slot) {
    byte[] buf = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        received.addAndGet(slot, n);
      }
    } catch (IOException e) {
      if (!stop) {
        System.err.println("reader failed: " + e);
      }
    }
  }

  private String mark() {
    StringJoiner j = new StringJoiner(",", "MARK ", "");
    for (int i = 0; i < received.length(); i++) {
      j.add(Long.toString(received.get(i)));
    }
    return j.toString();
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Command line for a child process running this class. */
  static List<String> command(
      Path dir, int port, int count, int concurrency, double perSecond, String bind) {
    return BrokerProcess.javaCommand(
        List.of("-Xss256k", "-Xmx4g", "-XX:+UseParallelGC"),
        ScaleClients.class,
        List.of(
            dir.toString(),
            Integer.toString(port),
            Integer.toString(count),
            Integer.toString(concurrency),
            Double.toString(perSecond),
            bind));
  }
}
