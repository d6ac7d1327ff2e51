package dev.switchboard.cli.cloud;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard ip}: public IPs and the load-balancer infrastructure behind them (seed 004).
 */
@Command(
    name = "ip",
    mixinStandardHelpOptions = true,
    header = "Manage public IPs and the load balancers in front of them.",
    description = "Public IPs, optionally with a load balancer that forwards to container groups.",
    subcommands = {
      IpCreateCommand.class,
      IpSetupLbCommand.class,
      IpLsCommand.class,
      IpSelectCommand.class,
      IpRmLbCommand.class,
      IpRmCommand.class,
      IpReconcileCommand.class
    })
public final class IpCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Without a subcommand: the usage, on stdout. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
