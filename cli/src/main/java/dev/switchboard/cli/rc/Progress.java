package dev.switchboard.cli.rc;

import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import java.io.PrintWriter;
import java.util.List;

/** Prints session set-up progress for people; the latency table only with --verbose. */
final class Progress implements SessionEvents {
  private final PrintWriter out;
  private final boolean verbose;

  Progress(PrintWriter out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  @Override
  public void probed(List<ProbeResult> results) {
    if (!verbose) {
      return;
    }
    out.println("broker latency (median of application-level pings over TLS):");
    for (ProbeResult r : results) {
      out.printf(
          "  %-16s %s%s%n",
          r.endpoint().id(),
          r.reachable()
              ? String.format("%7.1f ms", r.medianMs())
              : "unreachable (" + r.error() + ")",
          r.reachable() && !r.servedBy().equals(r.endpoint().id())
              ? "  (served by " + r.servedBy() + ")"
              : "");
    }
    out.flush();
  }

  @Override
  public void chose(ProbeResult winner) {
    if (verbose) {
      out.printf("chose %s (%.1f ms)%n", winner.servedBy(), winner.medianMs());
      out.flush();
    }
  }

  @Override
  public void redirected(String brokerId, String host, int port) {
    if (verbose) {
      out.println("target joined via " + brokerId + "; reconnecting to " + host + ":" + port);
      out.flush();
    }
  }

  @Override
  public void suspended(Session session) {
    out.println(
        "session " + session.id() + ": relay via " + session.brokerId() + " lost; resuming");
    out.flush();
  }

  @Override
  public void resumed(Session session) {
    out.println(
        "session "
            + session.id()
            + " resumed via "
            + session.brokerId()
            + " (generation "
            + session.generation()
            + ")");
    out.flush();
  }
}
