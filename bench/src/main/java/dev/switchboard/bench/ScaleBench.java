package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Sessions per broker (issue 17): the broker as shipped ({@code bin/switchboard broker}) holds
 * {@code --sessions} idle relayed sessions opened by {@code --procs} load-generator JVMs ({@link
 * ScaleClients}, each from its own loopback address and under the open-file limit); its RSS and
 * live heap are read before and with them; then {@code --active} of those sessions each push data
 * one way, controller to target, as fast as they can for {@code --seconds}: aggregate throughput,
 * Jain's fairness index over per-session throughput, the slowest session, the broker's CPU and RSS.
 *
 * <p>Usage: {@code java -cp switchboard-bench.jar dev.switchboard.bench.ScaleBench [--sessions
 * 9000] [--procs 2] [--concurrency 8] [--rate 150] [--active 1000] [--warmup 10] [--seconds 30]
 * [--broker-opts "SWITCHBOARD_JAVA_OPTS for this run"] [--launcher bin/switchboard] [--out DIR]}
 */
public final class ScaleBench {
  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    int sessions = 9000;
    int procs = 2;
    int concurrency = 8;
    double rate = 150;
    int active = 1000;
    int warmup = 10;
    int seconds = 30;
    String opts = null;
    Path launcher = Path.of("bin/switchboard");
    Path out = null;
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sessions" -> sessions = Integer.parseInt(args[++i]);
        case "--procs" -> procs = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--active" -> active = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--broker-opts" -> opts = args[++i];
        case "--broker-env" -> {
          String[] kv = args[++i].split("=", 2);
          env.put(kv[0], kv[1]);
        }
        case "--launcher" -> launcher = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Path pki = Files.createTempDirectory("switchboard-scale-pki");
    BenchPki.create(pki);
    out = out != null ? Files.createDirectories(out) : Files.createTempDirectory("scale-out");
    System.out.printf(
        "scale: %d sessions over %d load generators (%.0f/s each at most), then %d active for"
            + " %d s; SWITCHBOARD_JAVA_OPTS=%s; environment %s; raw output in %s%n",
        sessions, procs, rate, active, seconds, opts == null ? "" : opts, env, out);
    try (ShippedBroker broker = ShippedBroker.start(launcher, pki, opts, env, out)) {
      System.out.println("  broker pid " + broker.pid() + ", port " + broker.clientPort());
      // A first small batch loads classes, JIT-compiles and fills pools: the baseline is warm.
      List<Clients> warm = Clients.start(pki, broker.clientPort(), 200, 1, concurrency, rate);
      Clients.closeAll(warm);
      Map<String, Long> before = settled(broker, 0, "warm");
      print("warm, 0 sessions", before);

      List<Clients> gens =
          Clients.start(pki, broker.clientPort(), sessions, procs, concurrency, rate);
      Thread.sleep(10_000); // handshake garbage and in-flight work settle, as an idle hour would
      Map<String, Long> idle = broker.stats("idle");
      print("with idle sessions", idle);
      long n = idle.get("sessions");
      System.out.printf(
          "RESULT per idle session (%d sessions): RSS %.1f KiB (after a full GC %.1f),"
              + " anonymous %.1f KiB, of it Java heap %.1f KiB (live %.1f KiB), the rest %.1f KiB;"
              + " committed heap after GC %.1f KiB, fds %.2f%n",
          n,
          perSession(before, idle, "rss", n),
          perSessionAfterGc(before, idle, n),
          perSession(before, idle, "anon", n),
          perSession(before, idle, "heapRss", n),
          perSession(before, idle, "heapLive", n),
          perSession(before, idle, "rss", n) - perSession(before, idle, "heapRss", n),
          perSession(before, idle, "heapCommitted", n),
          (idle.get("fds") - before.get("fds")) / (double) n);
      printNmt(before, idle, n);

      if (active > 0) {
        activePhase(broker, gens, active, warmup, seconds);
        print("after the active phase", broker.stats("after-active"));
      }
      Clients.closeAll(gens);
      print("after the clients closed", settled(broker, 0, "closed"));
    }
  }

  private static void activePhase(
      ShippedBroker broker, List<Clients> gens, int active, int warmup, int seconds)
      throws Exception {
    int each = active / gens.size();
    for (Clients c : gens) {
      c.send("start " + each);
    }
    for (Clients c : gens) {
      c.await("STARTED");
    }
    Thread.sleep(warmup * 1000L);
    long[] first = mark(gens);
    double cpu0 = ProcStats.cpuSeconds(broker.pid());
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long rssActive = ProcStats.rssBytes(broker.pid());
    long[] second = mark(gens);
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = ProcStats.cpuSeconds(broker.pid()) - cpu0;
    for (Clients c : gens) {
      c.send("stop");
    }
    for (Clients c : gens) {
      c.await("STOPPED");
    }
    double[] rate = new double[first.length];
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < rate.length; i++) {
      rate[i] = (second[i] - first[i]) / wall;
      sum += rate[i];
      squares += rate[i] * rate[i];
    }
    double[] sorted = rate.clone();
    Arrays.sort(sorted);
    double mean = sum / rate.length;
    long starved = Arrays.stream(rate).filter(r -> r < 0.1 * mean).count();
    System.out.printf(
        "RESULT active: %d sessions, one direction each (16 KiB writes), %.1f s measured after"
            + " %d s warm-up: aggregate %.1f MB/s; per session min %.1f, p10 %.1f, median %.1f,"
            + " max %.1f KB/s; Jain's index %.3f; below 10%% of the mean: %d; broker CPU %.2f"
            + " cores, %.2f CPU-s per GiB; broker RSS %.1f MiB%n",
        rate.length,
        wall,
        warmup,
        sum / 1e6,
        sorted[0] / 1e3,
        sorted[sorted.length / 10] / 1e3,
        sorted[sorted.length / 2] / 1e3,
        sorted[sorted.length - 1] / 1e3,
        sum * sum / (rate.length * squares),
        starved,
        cpu / wall,
        cpu / (sum * wall / (1L << 30)),
        rssActive / 1048576.0);
  }

  private static long[] mark(List<Clients> gens) throws IOException {
    for (Clients c : gens) {
      c.send("mark");
    }
    List<Long> all = new ArrayList<>();
    for (Clients c : gens) {
      String line = c.await("MARK");
      for (String v : line.substring(4).trim().split(",")) {
        if (!v.isEmpty()) {
          all.add(Long.parseLong(v));
        }
      }
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  private static Map<String, Long> settled(ShippedBroker broker, long sessions, String label)
      throws Exception {
    for (int i = 0; i < 100 && broker.sessions() != sessions; i++) {
      Thread.sleep(200);
    }
    Thread.sleep(3000);
    return broker.stats(label);
  }

  private static double perSession(Map<String, Long> a, Map<String, Long> b, String k, long n) {
    return (b.get(k) - a.get(k)) / 1024.0 / n;
  }

  private static double perSessionAfterGc(Map<String, Long> a, Map<String, Long> b, long n) {
    return (b.get("rssAfterGc") - a.get("rssAfterGc")) / 1024.0 / n;
  }

  private static void printNmt(Map<String, Long> a, Map<String, Long> b, long n) {
    StringBuilder sb = new StringBuilder();
    for (var e : b.entrySet()) {
      if (e.getKey().startsWith("nmt.") && a.containsKey(e.getKey())) {
        double kib = (e.getValue() - a.get(e.getKey())) / 1024.0 / n;
        if (Math.abs(kib) >= 0.05) {
          sb.append(String.format(" %s %.1f;", e.getKey().substring(4), kib));
        }
      }
    }
    if (sb.length() > 0) {
      System.out.println("RESULT NMT committed per idle session, KiB:" + sb);
    }
  }

  private static void print(String title, Map<String, Long> s) {
    System.out.printf(
        "  broker %-24s sessions %5d  RSS %7.1f MiB (after full GC %7.1f, anonymous %7.1f)"
            + "  heap RSS %6.1f MiB  live heap %6.1f MiB  committed heap %6.1f MiB  fds %5d  threads %d%n",
        title,
        s.get("sessions"),
        mib(s.get("rss")),
        mib(s.get("rssAfterGc")),
        mib(s.get("anon")),
        mib(s.get("heapRss")),
        mib(s.get("heapLive")),
        mib(s.get("heapCommitted")),
        s.get("fds"),
        s.get("threads"));
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** One {@link ScaleClients} process, driven over its stdin and stdout. */
  private static final class Clients {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String name;

    private Clients(Process process, String name) {
      this.process = process;
      this.name = name;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code procs} generators sharing {@code sessions}; returns once all are open. */
    static List<Clients> start(
        Path pki, int port, int sessions, int procs, int concurrency, double rate)
        throws IOException {
      List<Clients> all = new ArrayList<>();
      for (int i = 0; i < procs; i++) {
        int count = sessions / procs + (i < sessions % procs ? 1 : 0);
        String bind = "127.0.1." + (i + 1);
        Process p =
            new ProcessBuilder(ScaleClients.command(pki, port, count, concurrency, rate, bind))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        all.add(new Clients(p, "clients " + bind));
      }
      for (Clients c : all) {
        c.await("OPEN");
      }
      return all;
    }

    static void closeAll(List<Clients> all) throws Exception {
      for (Clients c : all) {
        c.in.close();
      }
      for (Clients c : all) {
        c.await("CLOSED");
        c.process.waitFor();
      }
    }

    void send(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }

    /** Reads lines until one starts with {@code prefix}; prints the others. */
    String await(String prefix) throws IOException {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(prefix)) {
          if (!prefix.equals("MARK")) {
            System.out.println("  " + name + ": " + line);
          }
          return line;
        }
        System.out.println("  " + name + ": " + line);
      }
      throw new IOException(name + " ended before it printed " + prefix);
    }
  }
}
