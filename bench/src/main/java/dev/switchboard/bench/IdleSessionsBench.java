package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Broker memory and file descriptors per idle session: a broker in its own JVM, the controllers and
 * targets in another ({@link IdleClients}); the broker's RSS, heap after GC, Netty direct memory
 * and open descriptors are read before and while {@code --sessions} sessions sit idle.
 *
 * <p>Usage: {@code java -cp switchboard-bench.jar dev.switchboard.bench.IdleSessionsBench
 * [--sessions 5000] [--concurrency 16] [--rate 200] [--broker-jvm "-Xmx2g"]}
 */
public final class IdleSessionsBench {
  private IdleSessionsBench() {}

  public static void main(String[] args) throws Exception {
    int sessions = 5000;
    int concurrency = 16;
    double rate = 200;
    String brokerJvm = "-Xmx2g";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sessions" -> sessions = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--broker-jvm" -> brokerJvm = args[++i];
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Path dir = Files.createTempDirectory("switchboard-bench-pki");
    try (BrokerProcess broker = BrokerProcess.start(dir, List.of(brokerJvm.trim().split("\\s+")))) {
      int port = broker.clientAddress().getPort();
      System.out.printf(
          "idle sessions: broker pid %d (%s), %d sessions, set-up pool %d, at most %.0f sessions/s%n",
          broker.pid(), brokerJvm, sessions, concurrency, rate);
      // A first small batch loads classes, JIT-compiles and fills pools, so the baseline is the
      // warm broker.
      runClients(dir, port, 100, concurrency, rate, null);
      Map<String, Long> before = awaitSessions(broker, 0);
      print("before (warm, 0 sessions)", before);
      Map<String, Long>[] with = new Map[1];
      runClients(
          dir,
          port,
          sessions,
          concurrency,
          rate,
          () -> {
            Thread.sleep(5000); // let handshake garbage and in-flight work settle
            with[0] = broker.stats();
          });
      print("with " + sessions + " idle sessions", with[0]);
      print("after the clients closed", awaitSessions(broker, 0));
      long n = with[0].get("sessions");
      System.out.printf(
          "RESULT per idle session (%d sessions): RSS %.1f KiB, heap after GC %.1f KiB,"
              + " Netty direct %.1f KiB, fds %.2f%n",
          n,
          delta(before, with[0], "rss") / 1024.0 / n,
          delta(before, with[0], "heapUsed") / 1024.0 / n,
          delta(before, with[0], "nettyDirect") / 1024.0 / n,
          (double) delta(before, with[0], "fds") / n);
    }
  }

  interface WhileOpen {
    void run() throws Exception;
  }

  /**
   * Runs an {@link IdleClients} process; once its sessions are open runs {@code whileOpen}, then
   * closes them.
   */
  private static void runClients(
      Path dir, int port, int count, int concurrency, double rate, WhileOpen whileOpen)
      throws Exception {
    Process p =
        new ProcessBuilder(IdleClients.command(dir, port, count, concurrency, rate))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("OPEN ")) {
      System.out.println("  clients: " + line);
    }
    if (line == null) {
      throw new IOException("client process ended before its sessions were open");
    }
    System.out.println("  clients: " + line);
    if (whileOpen != null) {
      whileOpen.run();
    }
    p.getOutputStream().close();
    while ((line = out.readLine()) != null) {
      System.out.println("  clients: " + line);
    }
    p.waitFor();
  }

  private static Map<String, Long> awaitSessions(BrokerProcess broker, long sessions)
      throws Exception {
    Map<String, Long> s = broker.stats();
    for (int i = 0; i < 100 && s.get("sessions") != sessions; i++) {
      Thread.sleep(200);
      s = broker.stats();
    }
    return s;
  }

  private static long delta(Map<String, Long> a, Map<String, Long> b, String key) {
    return b.get(key) - a.get(key);
  }

  private static void print(String title, Map<String, Long> s) {
    System.out.printf(
        "  broker %-28s sessions %5d  RSS %7.1f MiB  heap used %6.1f MiB (committed %6.1f)"
            + "  non-heap %5.1f MiB  Netty direct %6.1f MiB  fds %5d  threads %d%n",
        title,
        s.get("sessions"),
        mib(s.get("rss")),
        mib(s.get("heapUsed")),
        mib(s.get("heapCommitted")),
        mib(s.get("nonHeapUsed")),
        mib(s.get("nettyDirect")),
        s.get("fds"),
        s.get("threads"));
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
