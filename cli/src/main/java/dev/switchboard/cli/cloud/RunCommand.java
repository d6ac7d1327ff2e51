package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.HealthPort;
import dev.switchboard.cloud.LbRule;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run NAME -im IMAGE [-t TASK] --bidirectional --expose-port P:PROTO...
 * [--use-load-balancer]}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Deploy a container group.",
    description = {
      "Deploy a container group. With --use-load-balancer it gets no public IP of its own: it is published on the"
          + " selected IP through that IP's load balancer (one rule per port and protocol, a TCP probe, its private"
          + " address in a backend pool of its own). The output says what is probed and what a failing"
          + " probe does.",
      "The local provider runs IMAGE with docker or podman (host network; TASK, if given, as sh -c TASK"
          + " in the container); without a container engine it runs TASK as a process (sh -c TASK in the"
          + " current directory) and says so. A task that exits at once fails run with its output."
    })
public final class RunCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the container group.")
  String name;

  @Option(
      names = {"-im", "--image"},
      required = true,
      paramLabel = "IMAGE",
      description = "Container image.")
  String image;

  @Option(
      names = {"-t", "--task"},
      paramLabel = "TASK",
      description = "Command to run (sh -c TASK).")
  String task;

  @Option(names = "--bidirectional", description = "Accept inbound traffic on the exposed ports.")
  boolean bidirectional;

  @Option(
      names = "--expose-port",
      paramLabel = "PORT[-LAST]:PROTO",
      description =
          "Port to expose: 5060:udp, 5060:tcp, 10000-10010:udp (at most 100 ports per range).")
  List<String> exposePorts = new ArrayList<>();

  @Option(
      names = "--use-load-balancer",
      description =
          "Publish on the selected IP through its load balancer (the IP must have has_load_balancer=true).")
  boolean useLoadBalancer;

  @Option(
      names = "--health-port",
      paramLabel = "PORT[:tcp|http[:PATH]]",
      description =
          "What the load balancer probes (needs --use-load-balancer): 8080, 8080:tcp or"
              + " 8080:http:/healthz. Default: the first exposed TCP port; a UDP-only group is"
              + " probed on its first port number but never taken out (AllProbedUp).")
  String healthPort;

  @Option(
      names = "--restart-policy",
      defaultValue = "Always",
      paramLabel = "POLICY",
      description = "Always (default), OnFailure or Never.")
  String restartPolicy;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Override
  void run(Cloud cloud) {
    List<ExposedPort> ports = ExposedPort.parseAll(exposePorts);
    RunSpec spec =
        new RunSpec(
            name,
            image,
            task,
            bidirectional,
            ports,
            useLoadBalancer,
            RestartPolicy.parse(restartPolicy),
            healthPort == null ? null : HealthPort.parse(healthPort));
    if (dryRun) {
      print(cloud.planRun(spec));
      return;
    }
    ContainerGroup g = cloud.run(spec);
    out()
        .println(
            "deployed "
                + g.name()
                + " ("
                + g.image()
                + "): "
                + g.state()
                + ", private address "
                + Show.orDash(g.privateAddress()));
    Show.runsAs(g).ifPresent(out()::println);
    if (g.publicIpName() != null) {
      GroupRouting routing = GroupRouting.of(g.name(), g.ports(), spec.healthPort());
      out()
          .println(
              "  published on "
                  + Show.publicAddress(g, cloud.listIps())
                  + " through "
                  + g.lbName()
                  + ": "
                  + routing.rules().stream().map(LbRule::name).collect(Collectors.joining(" "))
                  + " -> pool "
                  + Names.groupPool(g.name())
                  + " (this group only)");
      out().println("  " + routing.probe().describe());
    } else if (g.publicAddress() != null) {
      out()
          .println(
              "  public address "
                  + g.publicAddress()
                  + " of its own, not the selected IP (use --use-load-balancer for"
                  + " that)");
    }
  }
}
