package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker as users run it: {@code bin/switchboard broker --config FILE} (the launcher's own JVM
 * flags, plus {@code SWITCHBOARD_JAVA_OPTS} when given), measured from outside through /proc,
 * {@code jcmd} and its admin listener.
 */
final class ShippedBroker implements AutoCloseable {
  private static final Pattern HEAP_TOTAL =
      Pattern.compile(
          "^\\s*(?:garbage-first heap|PSYoungGen|ParOldGen|def new generation"
              + "|tenured generation)\\s+total (\\d+)K, used (\\d+)K",
          Pattern.MULTILINE);
  private static final Pattern HISTO_TOTAL =
      Pattern.compile("^Total\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE);
  private static final Pattern NMT_LINE =
      Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);
  private static final Pattern HEX = Pattern.compile("0x([0-9a-f]{8,16})");
  private static final Pattern RANGE = Pattern.compile("^([0-9a-f]+)-[0-9a-f]+ ");
  private final Process process;
  private final int clientPort;
  private final int adminPort;
  private final Path out;
  private final HttpClient http = HttpClient.newHttpClient();

  private ShippedBroker(Process process, int clientPort, int adminPort, Path out) {
    this.process = process;
    this.clientPort = clientPort;
    this.adminPort = adminPort;
    this.out = out;
  }

  /** Writes the config into {@code pki} (beside the bench PKI), starts the launcher, waits. */
  static ShippedBroker start(
      Path launcher, Path pki, String javaOpts, Map<String, String> env, Path out)
      throws IOException, InterruptedException {
    int client = freePort();
    int admin = freePort();
    Path cfg = pki.resolve("broker.yaml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "id: " + BenchPki.BROKER,
            "hostname: localhost",
            "listen:",
            "  client: 127.0.0.1:" + client,
            "  admin: 127.0.0.1:" + admin,
            "tls:",
            "  ca: ca.pem",
            "  cert: " + BenchPki.BROKER + ".pem",
            "  key: " + BenchPki.BROKER + "-key.pem",
            "codes:",
            "  joinsInFlightPerSource: 64", // several set-up threads per load generator address
            "timeouts:",
            "  idle: 2h", // idle sessions must outlive the set-up of 9,000 and the measurements
            ""));
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString(), "broker", "--config", cfg.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("broker.log").toFile());
    if (javaOpts != null && !javaOpts.isBlank()) {
      pb.environment().put("SWITCHBOARD_JAVA_OPTS", javaOpts);
    } else {
      pb.environment().remove("SWITCHBOARD_JAVA_OPTS");
    }
    pb.environment().putAll(env);
    ShippedBroker b = new ShippedBroker(pb.start(), client, admin, out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!b.healthy()) {
      if (!b.process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("broker did not start; see " + out.resolve("broker.log"));
      }
      Thread.sleep(200);
    }
    return b;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private boolean healthy() {
    try {
      return http.send(get("/healthz"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  int clientPort() {
    return clientPort;
  }

  /** The JVM's pid: the launcher execs java, so it is the launcher's. */
  long pid() {
    return process.pid();
  }

  long sessions() throws IOException, InterruptedException {
    String m = http.send(get("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
    Matcher x =
        Pattern.compile("^switchboard_sessions_active(?:\\{[^}]*})? (\\S+)", Pattern.MULTILINE)
            .matcher(m);
    return x.find() ? (long) Double.parseDouble(x.group(1)) : -1;
  }

  /**
   * RSS as it stands (no forced collection), then a full collection (a class histogram): live heap,
   * committed heap and RSS after it; with NMT on, its summary's committed figures. Each raw output
   * is kept in the output folder under {@code label}.
   */
  Map<String, Long> stats(String label) throws IOException, InterruptedException {
    long pid = pid();
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("sessions", sessions());
    m.put("rss", ProcStats.rssBytes(pid));
    m.put("anon", smapsRollup(pid, "Anonymous:"));
    m.put("fds", (long) ProcStats.openFds(pid));
    m.put("threads", (long) ProcStats.threads(pid));
    m.put("cpuMillis", (long) (ProcStats.cpuSeconds(pid) * 1000));
    // NMT first: its figures describe the RSS as it stands, before the collection below.
    String nmt = jcmd(label + "-nmt", "VM.native_memory", "summary");
    for (Matcher x = NMT_LINE.matcher(nmt); x.find(); ) {
      m.put("nmt." + x.group(1).trim().replace(' ', '_'), Long.parseLong(x.group(2)) * 1024);
    }
    // The heap's share of the RSS as it stands; its address range does not move.
    m.put("heapRss", heapRss(pid, jcmd(label + "-heap-before", "GC.heap_info")));
    String histo = jcmd(label + "-histogram", "GC.class_histogram");
    m.put("heapLive", group(HISTO_TOTAL, histo));
    String heap = jcmd(label + "-heap", "GC.heap_info");
    long committed = 0;
    for (Matcher x = HEAP_TOTAL.matcher(heap); x.find(); ) {
      committed += Long.parseLong(x.group(1)) * 1024;
    }
    m.put("heapCommitted", committed);
    m.put("rssAfterGc", ProcStats.rssBytes(pid));
    Files.writeString(
        out.resolve(label + "-smaps_rollup.txt"),
        Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
    return m;
  }

  /**
   * Resident bytes of the mappings inside the Java heap's address range (the lowest and highest
   * addresses {@code GC.heap_info} names): the heap's share of RSS, whichever collector.
   */
  private static long heapRss(long pid, String heapInfo) throws IOException {
    long lo = Long.MAX_VALUE;
    long hi = 0;
    for (Matcher x = HEX.matcher(heapInfo); x.find(); ) {
      long a = Long.parseUnsignedLong(x.group(1), 16);
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
    long rss = 0;
    boolean inside = false;
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
      Matcher range = RANGE.matcher(l);
      if (range.find()) {
        long start = Long.parseUnsignedLong(range.group(1), 16);
        inside = start >= lo && start < hi;
      } else if (inside && l.startsWith("Rss:")) {
        rss += Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return rss;
  }

  private static long smapsRollup(long pid, String key) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
      if (l.startsWith(key)) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static long group(Pattern p, String text) {
    Matcher x = p.matcher(text);
    return x.find() ? Long.parseLong(x.group(1)) : -1;
  }

  /** Runs jcmd against the broker, keeps its output in {@code <label>.txt}, returns it. */
  String jcmd(String label, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    cmd.add(Long.toString(pid()));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text;
    try (InputStream in = p.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    p.waitFor();
    Files.writeString(out.resolve(label + ".txt"), text);
    return text;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the broker drains (no sessions left) and exits
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
