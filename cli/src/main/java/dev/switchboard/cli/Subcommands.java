package dev.switchboard.cli;

import picocli.CommandLine;

/** The list of subcommands; each component adds its command here. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    // Subcommands are added as their components land.
    cl.addSubcommand("pki", new PkiCommand());
    cl.addSubcommand("ip", new dev.switchboard.cli.cloud.IpCommand());
    cl.addSubcommand("run", new dev.switchboard.cli.cloud.RunCommand());
    cl.addSubcommand("ls", new dev.switchboard.cli.cloud.LsCommand());
    cl.addSubcommand("rm", new dev.switchboard.cli.cloud.RmCommand());
    cl.addSubcommand("broker", new dev.switchboard.cli.rc.BrokerCommand());
    cl.addSubcommand("controller", new dev.switchboard.cli.rc.ControllerCommand());
    cl.addSubcommand("target", new dev.switchboard.cli.rc.TargetCommand());
    cl.addSubcommand("demo", new dev.switchboard.cli.rc.DemoCommand());
    cl.addSubcommand("up", new dev.switchboard.cli.rc.UpCommand());
    cl.addSubcommand("down", new dev.switchboard.cli.rc.DownCommand());
    cl.addSubcommand("status", new dev.switchboard.cli.rc.StatusCommand());
    cl.addSubcommand("lb", new dev.switchboard.cli.lb.LbCommand());
  }
}
