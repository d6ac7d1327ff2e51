package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rm NAME}: deregisters the group's backend address, deletes the rules it created, deletes
 * the group.
 */
@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    header = "Remove a container group and its load-balancing rules.",
    description =
        "Remove a container group: its backend address and load-balancing rules go with it.")
public final class RmCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the container group.")
  String name;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Override
  void run(Cloud cloud) {
    if (dryRun) {
      print(cloud.planRemoveGroup(name, null));
      return;
    }
    cloud.removeGroup(name);
    out().println("removed container group " + name + " (its backend address and rules are gone)");
  }
}
