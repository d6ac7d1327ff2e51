package dev.switchboard.cli.lb;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard lb}: run the layer-4 load balancer and manage it through its admin API. */
@Command(
    name = "lb",
    mixinStandardHelpOptions = true,
    header = "Run and manage the layer-4 (TCP/UDP) load balancer.",
    description = "Layer-4 (TCP/UDP) load balancer: run it, manage backends, show status.",
    subcommands = {LbRun.class, LbBackend.class, LbStatus.class, LbReload.class})
public final class LbCommand implements Callable<Integer> {
  /** The admin address the CLI talks to when --admin is not given. */
  static final String DEFAULT_ADMIN = "127.0.0.1:9100";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: run, backend, status or reload");
  }
}
