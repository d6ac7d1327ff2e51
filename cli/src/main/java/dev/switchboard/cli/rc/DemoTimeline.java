package dev.switchboard.cli.rc;

import dev.switchboard.cli.rc.DemoRun.Step;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The timeline of one demo session: client-side timestamps (System.nanoTime) of each milestone, and
 * the steps measured from them, each shown live as it is added.
 */
final class DemoTimeline implements SessionEvents {
  volatile long probeStart = System.nanoTime();
  volatile long chose;
  volatile long joinSent;
  volatile long joined;
  volatile long redirected;
  volatile long reconnected;
  volatile long controllerStart;
  volatile long targetStart;
  volatile long controllerFirstByte;
  volatile long targetFirstByte;
  volatile String chosen;
  volatile List<ProbeResult> probed = List.of();

  private final Consumer<Step> live;
  // Only the thread running the scenario adds steps.
  private final List<Step> steps = new ArrayList<>();

  DemoTimeline(Consumer<Step> live) {
    this.live = live;
  }

  /** Records {@code s} and shows it at once. */
  void add(Step s) {
    steps.add(s);
    live.accept(s);
  }

  List<Step> steps() {
    return steps;
  }

  @Override
  public void codeIssued(String code, String brokerId) {
    probeStart = System.nanoTime();
  }

  @Override
  public void probed(List<ProbeResult> results) {
    probed = results;
  }

  @Override
  public void chose(ProbeResult winner) {
    chose = System.nanoTime();
    chosen = winner.servedBy();
  }

  @Override
  public void joinSent(String brokerId) {
    joinSent = System.nanoTime();
    if (chosen == null) {
      chosen = brokerId;
    }
  }

  @Override
  public void joined(String sessionId) {
    joined = System.nanoTime();
  }

  @Override
  public void redirected(String brokerId, String host, int port) {
    redirected = System.nanoTime();
  }

  @Override
  public void reconnected(String brokerId) {
    reconnected = System.nanoTime();
  }

  @Override
  public void sessionStarted(Session session) {
    if (session.peerName().equals("t1")) {
      controllerStart = System.nanoTime();
    } else {
      targetStart = System.nanoTime();
      if (joined == 0) {
        joined = targetStart;
      }
    }
  }

  long between(long a, long b) {
    return a == 0 || b == 0 ? 0 : Math.max(0, (b - a) / 1_000_000);
  }

  /** The probe results as one line: each broker, failovers, its median or "unreachable". */
  static String describe(List<ProbeResult> probed) {
    StringBuilder sb = new StringBuilder();
    probed.stream()
        .sorted(Comparator.comparing(r -> r.endpoint().id()))
        .forEach(
            r -> {
              sb.append(sb.length() == 0 ? "" : ", ").append(r.endpoint().id());
              if (r.reachable() && !r.servedBy().equals(r.endpoint().id())) {
                sb.append(" (failed over to ").append(r.servedBy()).append(')');
              }
              sb.append(' ').append(r.reachable() ? round(r.medianMs()) + " ms" : "unreachable");
            });
    return sb.toString();
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
