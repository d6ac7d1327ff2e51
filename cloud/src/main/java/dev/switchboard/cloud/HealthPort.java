package dev.switchboard.cloud;

import java.util.Locale;

/**
 * What {@code --health-port PORT[:tcp|http[:PATH]]} asks the load balancer to probe instead of the
 * default.
 *
 * @param path the HTTP path ({@code /} by default), or null for a TCP probe
 */
public record HealthPort(int port, HealthProbe.Kind kind, String path) {
  public HealthPort {
    if (port < 1 || port > 65535) {
      throw CloudException.invalid("--health-port must be between 1 and 65535, got " + port);
    }
    if (kind == HealthProbe.Kind.TCP) {
      path = null;
    } else if (path == null || path.isEmpty()) {
      path = "/";
    } else if (!path.startsWith("/")) {
      path = "/" + path;
    }
  }

  /** Parses {@code 8080}, {@code 8080:tcp}, {@code 8080:http} or {@code 8080:http:/healthz}. */
  public static HealthPort parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    String[] parts = s.split(":", 3);
    int port;
    try {
      port = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw CloudException.invalid(
          "--health-port must look like 8080, 8080:tcp or 8080:http:/healthz, got '" + spec + "'");
    }
    HealthProbe.Kind kind = HealthProbe.Kind.TCP;
    if (parts.length > 1) {
      switch (parts[1].toLowerCase(Locale.ROOT)) {
        case "tcp" -> kind = HealthProbe.Kind.TCP;
        case "http" -> kind = HealthProbe.Kind.HTTP;
        default ->
            throw CloudException.invalid(
                "--health-port protocol must be tcp or http, got '" + parts[1] + "'");
      }
    }
    if (parts.length > 2 && kind == HealthProbe.Kind.TCP) {
      throw CloudException.invalid("--health-port: a path needs http, as in 8080:http:/healthz");
    }
    return new HealthPort(port, kind, parts.length > 2 ? parts[2] : null);
  }

  /** The {@code health_port} tag value and command-line form: {@code 8080:http:/healthz}. */
  @Override
  public String toString() {
    return port + ":" + kind.lower() + (path == null ? "" : ":" + path);
  }
}
