package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.PublicIp;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** How provisioning resources are shown on the terminal. */
final class Show {
  private Show() {}

  static String ip(PublicIp ip) {
    return ip.name()
        + " "
        + (ip.address() == null ? "(no address yet)" : ip.address())
        + " "
        + ip.label();
  }

  static String tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  static String ports(List<ExposedPort> ports) {
    return ports.isEmpty()
        ? "-"
        : ports.stream().map(ExposedPort::toString).collect(Collectors.joining(" "));
  }

  /**
   * Where clients reach a group: the selected IP through its load balancer, its own address, or
   * nowhere.
   */
  static String publicAddress(ContainerGroup g, List<PublicIp> ips) {
    if (g.publicIpName() != null) {
      String address =
          ips.stream()
              .filter(i -> i.name().equals(g.publicIpName()))
              .map(PublicIp::address)
              .findFirst()
              .orElse("?");
      return address + " (" + g.publicIpName() + ")";
    }
    return g.publicAddress() == null ? "-" : g.publicAddress() + " (own)";
  }

  /** Rows as columns padded to their widest cell, two spaces apart. */
  static List<String> table(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
      }
      out.add(b.toString());
    }
    return out;
  }

  /** The HEALTH column: "up", "down", "down*" (probed down, traffic still sent) or "-". */
  static String health(ContainerGroup g) {
    if (g.health() == null) {
      return "-";
    }
    return "down".equals(g.health()) && g.probe() != null && g.probe().allProbedUp()
        ? "down*"
        : g.health();
  }

  /** Why a load-balanced group reads down, in a sentence, or null when it does not. */
  static String whyDown(ContainerGroup g) {
    if (!"down".equals(g.health()) || g.probe() == null) {
      return null;
    }
    String probe = "probe " + g.probe().target() + " on " + orDash(g.privateAddress()) + " fails";
    if (g.probe().allProbedUp()) {
      return "* "
          + probe
          + " (nothing answers there: UDP cannot be probed); new flows still reach it"
          + " (AllProbedUp). Give --health-port to probe a real health endpoint.";
    }
    return probe
        + " "
        + g.probe().threshold()
        + " times in a row, so the load balancer sends it no new flows until it answers again"
        + ("Running".equals(g.state()) ? "" : " (state " + orDash(g.state()) + ")");
  }

  /** How the local provider runs a group's task, when the provider says. */
  static Optional<String> runsAs(ContainerGroup g) {
    String runsAs = g.status().runsAs();
    if (runsAs == null) {
      return Optional.empty();
    }
    if (runsAs.equals("process")) {
      return Optional.of(
          "  runs as a process (sh -c TASK in the directory run was called from), not in a"
              + " container: no container engine is in use (--container-engine none, or no docker"
              + " or podman answers), so image "
              + g.image()
              + " is not used");
    }
    return Optional.of(
        "  runs in a " + runsAs + " container from image " + g.image() + " (host network)");
  }

  /** Why a group's task is not running, or last stopped: empty while nothing is known. */
  static Optional<String> why(ContainerGroup g) {
    ContainerGroup.Status s = g.status();
    if (s.lastExitCode() == null && s.lastError() == null) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder();
    if (s.lastExitCode() != null) {
      b.append("last exit code ").append(s.lastExitCode());
    } else {
      b.append("could not start");
    }
    if (s.lastError() != null) {
      b.append(": ").append(s.lastError());
    }
    if (s.nextStart() != null) {
      b.append("; next start ").append(s.nextStart().truncatedTo(ChronoUnit.SECONDS));
    } else if ("Terminated".equals(g.state()) && s.lastExitCode() != null) {
      b.append("; not started again (restart policy ")
          .append(g.restartPolicy().wireName())
          .append(")");
    }
    return Optional.of(b.toString());
  }

  static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
