package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.PublicIp;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code ls}: the container groups, where they are reachable and how they are doing. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = {
      "List container groups.",
      "Below the table, for each group whose task exited: its exit code, its last output line and,"
          + " while it waits, when it starts again."
    })
public final class LsCommand extends CloudCommand {
  @Override
  void run(Cloud cloud) {
    List<ContainerGroup> groups = cloud.listGroups();
    if (groups.isEmpty()) {
      out().println("no container groups");
      return;
    }
    List<PublicIp> ips = cloud.listIps();
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "NAME", "STATE", "PRIVATE IP", "PUBLIC IP", "HEALTH", "RESTARTS", "PORTS", "IMAGE"
        });
    for (ContainerGroup g : groups) {
      rows.add(
          new String[] {
            g.name(),
            Show.orDash(g.state()),
            Show.orDash(g.privateAddress()),
            Show.publicAddress(g, ips),
            Show.health(g),
            Integer.toString(g.restartCount()),
            Show.ports(g.ports()),
            Show.orDash(g.image())
          });
    }
    Show.table(rows).forEach(out()::println);
    for (ContainerGroup g : groups) {
      String why = Show.whyDown(g);
      if (why != null) {
        out().println(g.name() + ": " + why);
      }
      Show.why(g).ifPresent(w -> out().println("  " + g.name() + ": " + w));
    }
  }
}
