package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link BrokerMain} child JVM on this machine's classpath, driven over its stdin/stdout. */
final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final int clientPort;
  private final long pid;

  private BrokerProcess(Process process, BufferedReader out, Writer in, int clientPort, long pid) {
    this.process = process;
    this.out = out;
    this.in = in;
    this.clientPort = clientPort;
    this.pid = pid;
  }

  /** Starts the broker with extra JVM options and waits for its READY line. */
  static BrokerProcess start(Path dir, List<String> jvmArgs) throws IOException {
    List<String> cmd = javaCommand(jvmArgs, BrokerMain.class, List.of(dir.toString()));
    String cpus = System.getProperty("switchboard.bench.brokerCpus");
    if (cpus != null && !cpus.isBlank()) {
      // Models a broker on its own host: it gets these CPUs, whatever the harness is pinned to.
      cmd.addAll(0, List.of("taskset", "-c", cpus));
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    while (line != null && !line.startsWith("READY ")) {
      System.err.println("broker: " + line); // JVM chatter such as JFR's start message
      line = out.readLine();
    }
    if (line == null) {
      p.destroyForcibly();
      throw new IOException("broker process did not start (said: " + line + ")");
    }
    String[] f = line.split(" ");
    return new BrokerProcess(
        p,
        out,
        new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
        Integer.parseInt(f[1]),
        Long.parseLong(f[3]));
  }

  /** {@code java [jvmArgs] -cp <our classpath> main [args]} with the running JVM's binary. */
  static List<String> javaCommand(List<String> jvmArgs, Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    return cmd;
  }

  InetSocketAddress clientAddress() {
    return new InetSocketAddress("127.0.0.1", clientPort);
  }

  long pid() {
    return pid;
  }

  /** Asks the broker for its figures after a full GC. */
  Map<String, Long> stats() throws IOException {
    in.write("stats\n");
    in.flush();
    String line = out.readLine();
    while (line != null && !line.startsWith("STATS ")) {
      System.err.println("broker: " + line);
      line = out.readLine();
    }
    if (line == null) {
      throw new IOException("broker process answered '" + line + "' to stats");
    }
    Map<String, Long> m = new LinkedHashMap<>();
    for (String kv : line.substring(6).split(" ")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
    }
    return m;
  }

  @Override
  public void close() throws IOException {
    in.close(); // end of input: the broker stops
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
