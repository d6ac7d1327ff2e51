package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ip rm NAME}: removes the IP and everything created for it. */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    header = "Remove a public IP and everything created for it.",
    description =
        "Remove a public IP and everything created for it (load balancer, VNet, NAT stack).")
final class IpRmCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the public IP.")
  String name;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Override
  void run(Cloud cloud) {
    if (dryRun) {
      print(cloud.planRemoveIp(name));
      return;
    }
    cloud.removeIp(name);
    out().println("removed public IP " + name + " and everything created for it");
  }
}
