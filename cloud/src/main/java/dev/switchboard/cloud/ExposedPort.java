package dev.switchboard.cloud;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One port and protocol a container group exposes; a {@code --expose-port} range expands to many.
 */
public record ExposedPort(int port, Protocol protocol) {
  /** The most ports one {@code --expose-port} range may name. */
  public static final int MAX_RANGE = 100;

  public ExposedPort {
    if (port < 1 || port > 65535) {
      throw CloudException.invalid("port must be between 1 and 65535, got " + port);
    }
  }

  /** The load-balancing rule name the seed prescribes: {@code rule-{port}-{protocol}}. */
  public String ruleName() {
    return "rule-" + port + "-" + protocol.name();
  }

  @Override
  public String toString() {
    return port + "/" + protocol.lower();
  }

  /** Parses {@code PORT:PROTO} or {@code FIRST-LAST:PROTO} (at most {@value #MAX_RANGE} ports). */
  public static List<ExposedPort> parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw CloudException.invalid(
          "--expose-port must look like 5060:udp or 10000-10010:udp, got '" + spec + "'");
    }
    Protocol protocol = Protocol.parse(s.substring(colon + 1));
    String ports = s.substring(0, colon);
    int dash = ports.indexOf('-');
    int first = number(dash < 0 ? ports : ports.substring(0, dash), spec);
    int last = dash < 0 ? first : number(ports.substring(dash + 1), spec);
    if (last < first) {
      throw CloudException.invalid("port range " + ports + " is empty (the first port is larger)");
    }
    if (last - first + 1 > MAX_RANGE) {
      throw CloudException.invalid(
          "port range "
              + ports
              + " has "
              + (last - first + 1)
              + " ports; at most "
              + MAX_RANGE
              + " are allowed");
    }
    List<ExposedPort> out = new ArrayList<>();
    for (int p = first; p <= last; p++) {
      out.add(new ExposedPort(p, protocol));
    }
    return out;
  }

  /** Parses every {@code --expose-port} value, keeping order and refusing duplicates. */
  public static List<ExposedPort> parseAll(List<String> specs) {
    Set<ExposedPort> out = new LinkedHashSet<>();
    for (String spec : specs) {
      for (ExposedPort p : parse(spec)) {
        if (!out.add(p)) {
          throw CloudException.invalid("port " + p + " is exposed twice");
        }
      }
    }
    return List.copyOf(out);
  }

  private static int number(String s, String spec) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n < 1 || n > 65535) {
        throw CloudException.invalid("port must be between 1 and 65535, got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw CloudException.invalid(
          "'" + s + "' in --expose-port " + spec + " is not a port number");
    }
  }
}
