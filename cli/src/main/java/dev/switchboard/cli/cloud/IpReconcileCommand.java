package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.ReconcileResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ip reconcile NAME}: one pass making the backend pool equal to its groups' current addresses. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description =
        "Make the IP's backend pool equal to the current private addresses of its container groups (the local"
            + " provider's agent does this continuously).")
final class IpReconcileCommand extends CloudCommand {
  @Parameters(paramLabel = "NAME")
  String name;

  @Override
  void run(Cloud cloud) {
    ReconcileResult r = cloud.reconcile(name);
    String pool = r.current().isEmpty() ? "(empty)" : String.join(" ", r.current());
    if (r.changed()) {
      out().println(
          r.lbName() + ": pool now " + pool + " (added " + list(r.added()) + ", removed " + list(r.removed()) + ")");
    } else {
      out().println(r.lbName() + ": pool already current: " + pool);
    }
  }

  private static String list(java.util.List<String> l) {
    return l.isEmpty() ? "none" : String.join(" ", l);
  }
}
