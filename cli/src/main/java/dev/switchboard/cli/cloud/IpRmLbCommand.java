package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.PublicIp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ip rm-lb NAME}: removes the load balancer and its VNet, keeps the IP (and its address).
 */
@Command(
    name = "rm-lb",
    mixinStandardHelpOptions = true,
    description = "Remove the load-balancer infrastructure of an IP; keep the IP.")
final class IpRmLbCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the public IP.")
  String name;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Override
  void run(Cloud cloud) {
    if (dryRun) {
      print(cloud.planRemoveLoadBalancer(name));
      return;
    }
    PublicIp ip = cloud.removeLoadBalancer(name);
    out()
        .println(
            "removed load balancer "
                + Names.loadBalancer(name)
                + " and virtual network "
                + Names.vnet(name)
                + "; kept public IP "
                + Show.ip(ip));
  }
}
