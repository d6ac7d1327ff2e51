package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.VirtualNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ip create NAME [--with-load-balancer | --with-nat-stack] [--dry-run]}. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a public IP.")
final class IpCreateCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the public IP.")
  String name;

  @Option(
      names = "--with-load-balancer",
      description =
          "Also create the VNet (subnet delegated to container groups), the load balancer and its pool.")
  boolean withLb;

  @Option(
      names = "--with-nat-stack",
      description = "Also create a NAT gateway on the IP and a subnet using it.")
  boolean withNat;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Override
  void run(Cloud cloud) {
    if (dryRun) {
      print(cloud.planCreateIp(name, withLb, withNat));
      return;
    }
    PublicIp ip = cloud.createIp(name, withLb, withNat);
    out().println("created public IP " + Show.ip(ip));
    if (ip.hasLoadBalancer()) {
      LoadBalancer lb = cloud.loadBalancer(name).orElseThrow();
      VirtualNetwork vnet = cloud.provider().lbNetwork(name);
      out()
          .println(
              "  load balancer "
                  + lb.name()
                  + ": frontend "
                  + lb.frontendName()
                  + " on "
                  + ip.address()
                  + ", backend pool "
                  + lb.backendPoolName());
      out()
          .println(
              "  virtual network "
                  + vnet.name()
                  + " "
                  + vnet.addressPrefix()
                  + ": subnet "
                  + vnet.subnet().name()
                  + " "
                  + vnet.subnet().addressPrefix()
                  + " delegated to "
                  + vnet.subnet().delegation());
    }
    out().println("  tags: " + Show.tags(ip.tags()));
  }
}
