package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.PublicIp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ip setup-lb NAME [--dry-run]}. */
@Command(
    name = "setup-lb",
    mixinStandardHelpOptions = true,
    header = "Add a load balancer (VNet, pool, tags) to an existing IP.",
    description =
        "Add the load-balancer infrastructure (VNet, load balancer, pool, tags) to an existing IP.")
final class IpSetupLbCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the public IP.")
  String name;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Override
  void run(Cloud cloud) {
    if (dryRun) {
      print(cloud.planSetupLoadBalancer(name));
      return;
    }
    PublicIp ip = cloud.setupLoadBalancer(name);
    out().println("added load balancer " + ip.lbName() + " to public IP " + Show.ip(ip));
    out().println("  tags: " + Show.tags(ip.tags()));
  }
}
