package dev.switchboard.cli;

import picocli.CommandLine;

/** The list of subcommands; each component adds its command here. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    // Subcommands are added as their components land.
    cl.addSubcommand("pki", new PkiCommand());
    cl.addSubcommand("broker", new dev.switchboard.cli.rc.BrokerCommand());
    cl.addSubcommand("controller", new dev.switchboard.cli.rc.ControllerCommand());
    cl.addSubcommand("target", new dev.switchboard.cli.rc.TargetCommand());
    cl.addSubcommand("demo", new dev.switchboard.cli.rc.DemoCommand());
    cl.addSubcommand("lb", new dev.switchboard.cli.lb.LbCommand());
  }
}
