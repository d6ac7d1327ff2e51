package dev.switchboard.cli.cloud;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.PublicIp;
import java.io.BufferedReader;
import java.io.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ip select [NAME]}: the IP {@code run --use-load-balancer} uses; picks interactively on a
 * terminal.
 */
@Command(
    name = "select",
    mixinStandardHelpOptions = true,
    header = "Select the IP that 'run --use-load-balancer' publishes on.",
    description = "Select the IP that 'run --use-load-balancer' publishes containers on.")
final class IpSelectCommand extends CloudCommand {
  @Parameters(
      paramLabel = "NAME",
      arity = "0..1",
      description = "Omit on a terminal to pick from a list.")
  String name;

  @Override
  void run(Cloud cloud) {
    String chosen = name;
    if (chosen == null) {
      Console console = System.console();
      if (console == null) {
        String current =
            cloud
                .selected()
                .orElseThrow(
                    () ->
                        new CliException(
                            ExitCodes.USAGE,
                            "ip select needs a NAME when no terminal is attached"));
        out().println("selected: " + current);
        return;
      }
      chosen = IpPicker.pick(cloud.listIps(), new BufferedReader(console.reader()), out());
    }
    PublicIp ip = cloud.select(chosen);
    out().println("selected " + Show.ip(ip));
  }
}
