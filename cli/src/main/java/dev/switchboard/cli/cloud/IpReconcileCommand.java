package dev.switchboard.cli.cloud;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.ReconcileLoop;
import dev.switchboard.cloud.ReconcileResult;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ip reconcile NAME}: one pass making the backend pool equal to its groups' current
 * addresses.
 */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    header = "Sync the IP's backend pool with its groups' current addresses.",
    description =
        "Make the IP's backend pool equal to the current private addresses of its container groups (the local"
            + " provider's agent does this continuously).")
final class IpReconcileCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME", description = "Name of the public IP.")
  String name;

  @Option(
      names = "--watch",
      paramLabel = "SECONDS",
      description =
          "Repeat every SECONDS until interrupted, printing the passes that change the pool.")
  long watchSeconds;

  @Override
  void run(Cloud cloud) {
    if (watchSeconds <= 0) {
      print(cloud.reconcile(name), true);
      return;
    }
    boolean[] first = {true};
    try {
      new ReconcileLoop(cloud, d -> Thread.sleep(d.toMillis()))
          .run(
              name,
              Duration.ofSeconds(watchSeconds),
              0,
              r -> {
                print(r, first[0]);
                first[0] = false;
                out().flush();
              },
              e ->
                  spec.commandLine()
                      .getErr()
                      .println("switchboard: " + e.getMessage() + " (retrying)"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.RUNTIME, "interrupted");
    }
  }

  private void print(ReconcileResult r, boolean evenIfUnchanged) {
    if (!r.changed() && !evenIfUnchanged) {
      return;
    }
    String pool = r.current().isEmpty() ? "(empty)" : String.join(" ", r.current());
    if (r.changed()) {
      out()
          .println(
              r.lbName()
                  + ": pool now "
                  + pool
                  + " (added "
                  + list(r.added())
                  + ", removed "
                  + list(r.removed())
                  + ")");
    } else {
      out().println(r.lbName() + ": pool already current: " + pool);
    }
  }

  private static String list(List<String> l) {
    return l.isEmpty() ? "none" : String.join(" ", l);
  }
}
