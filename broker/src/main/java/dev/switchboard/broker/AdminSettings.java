package dev.switchboard.broker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The admin listener's guard: the bearer token file ({@code /status} and any other non-probe
 * endpoint need its token), how long a connection may take to send a complete request, and how many
 * admin connections may be open at once, in total and from one source address.
 */
public record AdminSettings(
    Path tokenFile, Duration requestTimeout, int maxConnections, int maxConnectionsPerSource) {
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 8;

  /** The token file's default name, in the folder of the broker's config (or key) file. */
  public static final String DEFAULT_TOKEN_FILE = "admin.token";

  public AdminSettings {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    if (maxConnectionsPerSource < 1) {
      throw new IllegalArgumentException("maxConnectionsPerSource must be at least 1");
    }
  }

  /** With the default per-source cap. */
  public AdminSettings(Path tokenFile, Duration requestTimeout, int maxConnections) {
    this(tokenFile, requestTimeout, maxConnections, DEFAULT_MAX_CONNECTIONS_PER_SOURCE);
  }

  /** The defaults with the token file in {@code dir}. */
  public static AdminSettings defaultsIn(Path dir) {
    return new AdminSettings(
        dir.resolve(DEFAULT_TOKEN_FILE), DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
  }
}
