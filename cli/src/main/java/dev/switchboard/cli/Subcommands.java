package dev.switchboard.cli;

import picocli.CommandLine;

/** The list of subcommands; each component adds its command here. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    // Subcommands are added as their components land.
    cl.addSubcommand("pki", new PkiCommand());
    cl.addSubcommand("lb", new dev.switchboard.cli.lb.LbCommand());
  }
}
