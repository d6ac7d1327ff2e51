package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.config.Durations;
import dev.switchboard.localnet.AddressPlan;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.topology.Topology;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard up}: runs a topology locally in the background for people to use. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    header = "Start a topology on loopback in the background.",
    description = {
      "Starts a topology on loopback in the background (brokers, mesh, points of presence with",
      "simulated latency, a fresh PKI with controller 'alice' and target 't1'). Stop it with 'switchboard down'."
    })
public final class UpCommand implements Callable<Integer> {
  static final String GLOBAL_PROBE_PROPERTY = "switchboard.up.globalProbeInterval";

  @Spec CommandSpec spec;

  @Option(
      names = "--topology",
      paramLabel = "FILE",
      description = "Topology file (default: the embedded seed topology).")
  Path topologyFile;

  @Mixin UpStateDir state;

  @Option(
      names = "--foreground",
      description = "Run in this process until interrupted (what the background process does).")
  boolean foreground;

  @Override
  public Integer call() throws Exception {
    Path dir = state.resolve().toAbsolutePath();
    Topology topology = Topologies.loadLocal(topologyFile);
    var previous = UpState.read(dir);
    if (previous.isPresent()) {
      long pid = previous.get().path("pid").asLong();
      if (ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(p -> UpState.isOurs(previous.get(), p))
          .orElse(false)) {
        throw new CliException(
            ExitCodes.RUNTIME,
            "a local topology is already running (pid " + pid + "); run switchboard down first");
      }
      Files.delete(UpState.file(dir));
    }
    return foreground ? runHere(dir, topology) : spawn(dir);
  }

  private int spawn(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.switchboard.cli.Switchboard",
                "up",
                "--foreground",
                "--state-dir",
                dir.toString()));
    // As a broker process gets them: the background process runs the same network as this one.
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith("switchboard.")) {
                cmd.add(2, "-D" + k + "=" + v);
              }
            });
    if (topologyFile != null) {
      cmd.add("--topology");
      cmd.add(topologyFile.toAbsolutePath().toString());
    }
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add(0, "/usr/bin/setsid"); // detach from this terminal's process group
    }
    Path log = dir.resolve("up.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    // A JVM per broker: LocalTopology gives them 30 s + 10 s per broker on a loaded machine.
    for (int i = 0; i < 3000; i++) {
      if (UpState.read(dir).map(s -> s.path("ready").asBoolean()).orElse(false)) {
        printSummary(spec.commandLine().getOut(), UpState.read(dir).get(), dir);
        return ExitCodes.OK;
      }
      if (!p.isAlive() && !UpState.read(dir).isPresent()) {
        List<String> lines = Files.readAllLines(log);
        // The background process already said what failed, in its own "switchboard: " line.
        String last =
            lines.isEmpty()
                ? "no output"
                : lines.get(lines.size() - 1).replace("switchboard: ", "");
        int code = p.exitValue() == ExitCodes.OK ? ExitCodes.RUNTIME : p.exitValue();
        throw new CliException(
            code, "the local topology failed to start: " + last + " (full log: " + log + ")");
      }
      Thread.sleep(100);
    }
    p.destroy();
    throw new CliException(
        ExitCodes.RUNTIME, "the local topology did not become ready within 300 s; see " + log);
  }

  private int runHere(Path dir, Topology topology) throws Exception {
    Files.createDirectories(dir);
    deleteTree(dir.resolve("pki"));
    LocalTopology net;
    try {
      net = LocalTopology.start(topology, dir, options().withBrokerProcesses(true));
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.CONFIG,
          "cannot start the topology: "
              + e.getMessage()
              + " (is another 'switchboard up' or something else using its addresses?)");
    }
    net.client(Role.CONTROLLER, "alice");
    net.client(Role.TARGET, "t1");
    UpControl control = UpControl.start(net);
    ObjectNode state = UpState.JSON.createObjectNode();
    state.put("pid", ProcessHandle.current().pid());
    state.put(UpState.STARTED, UpState.startedHere());
    state.put("control", control.address());
    Path running = topologyFile;
    if (running == null) { // a file the hint's clients can name, wherever they run
      running = dir.resolve("seed-topology.yaml");
      Files.writeString(running, Topologies.embeddedText());
    }
    state.put("topology", running.toAbsolutePath().toString());
    state.put("pki", net.pkiDir().toString());
    ArrayNode brokers = state.putArray("brokers");
    for (Topology.BrokerSpec b : topology.brokers()) {
      InetSocketAddress client = net.clientAddress(b.id());
      InetSocketAddress admin = net.adminAddress(b.id());
      ObjectNode n = brokers.addObject();
      n.put("id", b.id())
          .put("region", b.region())
          .put("hostname", b.hostname())
          .put("pid", net.pid(b.id()))
          .put("client", client.getHostString() + ":" + client.getPort())
          .put("admin", admin.getHostString() + ":" + admin.getPort())
          .put("adminTokenFile", net.adminTokenFile().toAbsolutePath().toString());
      ObjectNode pops = n.putObject("pops");
      for (Topology.Region r : topology.regions()) {
        pops.put(r.id(), AddressPlan.popAddress(topology, r.id(), b) + ":" + b.clientPort());
      }
    }
    state.put("ready", true);
    UpState.write(dir, state);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  control.close();
                  net.close();
                  try {
                    Files.deleteIfExists(UpState.file(dir));
                  } catch (IOException ignored) {
                    // state file is advisory
                  }
                  stop.countDown();
                }));
    PrintWriter out = spec.commandLine().getOut();
    printSummary(out, state, dir);
    stop.await();
    return ExitCodes.OK;
  }

  /**
   * Azure's 5 s global probe, so failovers take as long as they would there; a test that only needs
   * the topology running sets {@value #GLOBAL_PROBE_PROPERTY} (e.g. {@code 1s}) to start sooner.
   */
  private static LocalTopology.Options options() {
    LocalTopology.Options o = LocalTopology.Options.fullPath(0);
    String probe = System.getProperty(GLOBAL_PROBE_PROPERTY);
    if (probe == null) {
      return o;
    }
    return o.withProbes(
        Durations.parse(
            GLOBAL_PROBE_PROPERTY, probe, Duration.ofMillis(100), Duration.ofMinutes(1)),
        o.regionalProbeInterval());
  }

  static void printSummary(PrintWriter out, JsonNode s, Path dir) {
    out.printf("Local topology running (pid %d), state in %s%n", s.path("pid").asLong(), dir);
    out.printf(
        "  %-14s %-6s %-22s %-22s %s%n",
        "BROKER", "REGION", "LISTENS", "ADMIN", "REACHED FROM EACH REGION");
    for (JsonNode b : s.path("brokers")) {
      StringBuilder pops = new StringBuilder();
      b.path("pops")
          .fields()
          .forEachRemaining(
              e -> pops.append(e.getKey()).append('=').append(e.getValue().asText()).append(' '));
      out.printf(
          "  %-14s %-6s %-22s %-22s %s%n",
          b.path("id").asText(),
          b.path("region").asText(),
          b.path("client").asText(),
          b.path("admin").asText(),
          pops.toString().trim());
    }
    out.printf("PKI: %s (controller 'alice', target 't1')%n", s.path("pki").asText());
    List<String> regions = new ArrayList<>();
    s.path("brokers").path(0).path("pops").fieldNames().forEachRemaining(regions::add);
    String first = regions.isEmpty() ? "REGION" : regions.get(0);
    String last = regions.isEmpty() ? "REGION" : regions.get(regions.size() - 1);
    String topology = s.path("topology").asText();
    String pki = s.path("pki").asText();
    out.println("Try, in two terminals:");
    out.printf(
        "  switchboard controller --topology %s --region %s --pki %s --name alice"
            + " --listen 127.0.0.1:2222%n",
        topology, first, pki);
    out.printf(
        "  switchboard target --topology %s --region %s --pki %s --name t1 --code CODE"
            + " --to 127.0.0.1:22 --verbose%n",
        topology, last, pki);
    out.flush();
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
