package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.topology.Topology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard demo}: the seed's six steps on a local multi-region topology, timed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run all six steps on a local multi-region topology, timed.",
    description = {
      "Starts the seed topology on loopback (4 brokers, 2 regions, simulated latency, fresh PKI),",
      "runs a controller and a target through all six steps, verifies data both ways, cleans up."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "Print one JSON object instead of the step-by-step story.")
  boolean json;

  @Option(
      names = "--controller-region",
      defaultValue = "us",
      paramLabel = "REGION",
      description = "Region of the controller (default ${DEFAULT-VALUE}).")
  String controllerRegion;

  @Option(
      names = "--target-region",
      defaultValue = "in",
      paramLabel = "REGION",
      description = "Region of the target (default ${DEFAULT-VALUE}).")
  String targetRegion;

  @Option(
      names = "--topology",
      paramLabel = "FILE",
      description = "Topology file (default: the embedded seed topology).")
  Path topologyFile;

  @Option(
      names = "--fail",
      paramLabel = "BROKER",
      description = "Stop this broker before the session (repeatable).")
  List<String> fail = new ArrayList<>();

  @Option(
      names = "--fail-region",
      paramLabel = "REGION",
      description = "Stop every broker of this region before the session.")
  String failRegion;

  @Option(
      names = "--restart-regional-lb",
      paramLabel = "REGION",
      description =
          "After the session: stop that region's load balancer, show the session is untouched, "
              + "start it again and run a new session with the target in that region.")
  String restartRegionalLb;

  @Option(
      names = "--kill-relay-broker",
      description =
          "While the session moves data: kill -9 the broker relaying it and show both sides"
              + " resume on the region's other broker with every byte checked.")
  boolean killRelayBroker;

  @Override
  public Integer call() throws Exception {
    Topology topology = Topologies.loadLocal(topologyFile);
    for (String r : new String[] {controllerRegion, targetRegion}) {
      try {
        topology.region(r);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
    }
    List<String> failed = new ArrayList<>(fail);
    for (String id : fail) {
      if (topology.broker(id).isEmpty()) {
        throw new CliException(ExitCodes.USAGE, "--fail: no broker '" + id + "' in the topology");
      }
    }
    if (failRegion != null) {
      try {
        topology.region(failRegion);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--fail-region: " + e.getMessage());
      }
      topology.brokers().stream()
          .filter(b -> b.region().equals(failRegion))
          .forEach(b -> failed.add(b.id()));
    }
    if (restartRegionalLb != null) {
      try {
        topology.region(restartRegionalLb);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--restart-regional-lb: " + e.getMessage());
      }
      if (!failed.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE, "--restart-regional-lb cannot be combined with --fail/--fail-region");
      }
      if (killRelayBroker) {
        throw new CliException(
            ExitCodes.USAGE, "--restart-regional-lb cannot be combined with --kill-relay-broker");
      }
    }
    if (failed.size() == topology.brokers().size()) {
      throw new CliException(
          ExitCodes.USAGE, "cannot fail every broker: nothing would be left to connect to");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf(
          "Switchboard demo: topology '%s', %d brokers in %s; controller alice in %s, target t1 in %s%n",
          topology.name(),
          topology.brokers().size(),
          topology.regions().stream().map(Topology.Region::id).toList(),
          controllerRegion,
          targetRegion);
      out.printf("Simulated round trips: %s%n", rtts(topology));
      out.flush();
    }
    DemoRun.Result r =
        new DemoRun(
                topology,
                controllerRegion,
                targetRegion,
                failed,
                restartRegionalLb,
                killRelayBroker,
                s -> {
                  if (!json) {
                    out.printf("  %-10s %6d ms  %s%n", s.name(), s.ms(), s.detail());
                    out.flush();
                  }
                })
            .run();
    if (json) {
      out.println(toJson(r));
    } else {
      out.printf(
          "Session set-up (join sent -> first byte relayed both ways): %d ms; %s%n",
          r.setupMs(),
          r.redirected()
              ? "controller redirected " + r.controllerBroker() + " -> " + r.selectedBroker()
              : "no redirect (same broker)");
      out.printf(
          "Done in %d ms (topology start %d ms); everything stopped and cleaned up.%n",
          r.totalMs(), r.topologyStartMs());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String rtts(Topology t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < t.regions().size(); i++) {
      for (int j = i; j < t.regions().size(); j++) {
        String a = t.regions().get(i).id();
        String b = t.regions().get(j).id();
        sb.append(sb.length() == 0 ? "" : ", ")
            .append(a)
            .append('-')
            .append(b)
            .append(' ')
            .append(t.simulation().rttMs(a, b))
            .append(" ms");
      }
    }
    return sb.toString();
  }

  static String toJson(DemoRun.Result r) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("controllerBroker", r.controllerBroker());
    o.put("selectedBroker", r.selectedBroker());
    ObjectNode lat = o.putObject("latenciesMs");
    r.latenciesMs()
        .forEach(
            (k, v) -> {
              if (v == null) {
                lat.putNull(k);
              } else {
                lat.put(k, v);
              }
            });
    o.put("redirected", r.redirected());
    o.put("setupMs", r.setupMs());
    o.put("bytesVerified", r.bytesVerified());
    var steps = o.putArray("steps");
    for (DemoRun.Step s : r.steps()) {
      steps.addObject().put("name", s.name()).put("ms", s.ms());
    }
    return m.writeValueAsString(o);
  }
}
