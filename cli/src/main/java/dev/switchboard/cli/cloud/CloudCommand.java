package dev.switchboard.cli.cloud;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.Plan;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the provisioning commands: opens the provider, runs, and maps {@link CloudException} to
 * exit codes.
 */
abstract class CloudCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CloudOptions options;

  /** Does the work against an open {@link Cloud}; prints through {@link #out()}. */
  abstract void run(Cloud cloud);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void print(Plan plan) {
    List<String> lines = plan.render();
    out().println(lines.get(0));
    options.planTarget().ifPresent(out()::println);
    lines.subList(1, lines.size()).forEach(out()::println);
  }

  @Override
  public Integer call() {
    try (Cloud cloud = dryRun() ? options.openForPlan() : options.open()) {
      run(cloud);
      out().flush();
      return ExitCodes.OK;
    } catch (CloudException e) {
      throw toCli(e);
    }
  }

  /** Whether this command has a {@code --dry-run} option and it was given. */
  private boolean dryRun() {
    OptionSpec o = spec.findOption("--dry-run");
    return o != null && Boolean.TRUE.equals(o.getValue());
  }

  /**
   * INVALID is a usage error (2); NOT_FOUND and PRECONDITION configuration (3); CONFLICT refused
   * (4); else 1 or 5.
   */
  static CliException toCli(CloudException e) {
    int code =
        switch (e.kind()) {
          case INVALID -> ExitCodes.USAGE;
          case NOT_FOUND, PRECONDITION -> ExitCodes.CONFIG;
          case CONFLICT -> ExitCodes.REFUSED;
          case PROVIDER -> networkCause(e) ? ExitCodes.NETWORK : ExitCodes.RUNTIME;
        };
    return new CliException(code, e.getMessage(), e);
  }

  private static boolean networkCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }
}
