package dev.switchboard.cli.cloud;

import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.PublicIp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
