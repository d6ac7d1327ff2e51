package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.PublicIp;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code ip ls}: every IP with its address and label; {@code *} marks the selected one. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List public IPs.")
final class IpLsCommand extends CloudCommand {
  @Override
  void run(Cloud cloud) {
    List<PublicIp> ips = cloud.listIps();
    if (ips.isEmpty()) {
      out()
          .println(
              "no public IPs (create one with 'switchboard ip create NAME --with-load-balancer')");
      return;
    }
    String selected = cloud.selected().orElse("");
    int width = ips.stream().mapToInt(i -> i.name().length()).max().orElse(4);
    for (PublicIp ip : ips) {
      out()
          .printf(
              "%s %-" + width + "s  %-15s %s%n",
              ip.name().equals(selected) ? "*" : " ",
              ip.name(),
              Show.orDash(ip.address()),
              ip.label());
    }
  }
}
