package dev.switchboard.cli;

import dev.switchboard.cli.cloud.IpCommand;
import dev.switchboard.cli.cloud.LsCommand;
import dev.switchboard.cli.cloud.RmCommand;
import dev.switchboard.cli.cloud.RunCommand;
import dev.switchboard.cli.lb.LbCommand;
import dev.switchboard.cli.rc.BrokerCommand;
import dev.switchboard.cli.rc.ControllerCommand;
import dev.switchboard.cli.rc.DemoCommand;
import dev.switchboard.cli.rc.DownCommand;
import dev.switchboard.cli.rc.SessionsCommand;
import dev.switchboard.cli.rc.StatusCommand;
import dev.switchboard.cli.rc.TargetCommand;
import dev.switchboard.cli.rc.UpCommand;
import picocli.CommandLine;

/** The list of subcommands; each component adds its command here. */
final class Subcommands {
  private Subcommands() {}

  static void register(CommandLine cl) {
    // Subcommands are added as their components land.
    cl.addSubcommand("pki", new PkiCommand());
    cl.addSubcommand("ip", new IpCommand());
    cl.addSubcommand("run", new RunCommand());
    cl.addSubcommand("ls", new LsCommand());
    cl.addSubcommand("rm", new RmCommand());
    cl.addSubcommand("broker", new BrokerCommand());
    cl.addSubcommand("controller", new ControllerCommand());
    cl.addSubcommand("target", new TargetCommand());
    cl.addSubcommand("demo", new DemoCommand());
    cl.addSubcommand("up", new UpCommand());
    cl.addSubcommand("down", new DownCommand());
    cl.addSubcommand("status", new StatusCommand());
    cl.addSubcommand("sessions", new SessionsCommand());
    cl.addSubcommand("lb", new LbCommand());
    cl.addSubcommand("version", new VersionCommand());
    cl.addSubcommand("delay", new DelayCommand());
  }
}
