package dev.switchboard.lb;

import java.time.Duration;
import java.util.Objects;

/**
 * A health probe: {@code threshold} consecutive results, one every {@code interval}, change a
 * backend's state; port 0 means "the backend port of the rule using this probe".
 */
public record ProbeConfig(
    String name,
    ProbeProtocol protocol,
    int port,
    String path,
    Duration interval,
    int threshold,
    Duration timeout,
    NoHealthyBackendsBehavior noHealthyBackendsBehavior) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_THRESHOLD = 2;

  public ProbeConfig {
    Objects.requireNonNull(name, "name");
    protocol = protocol == null ? ProbeProtocol.TCP : protocol;
    path = path == null || path.isEmpty() ? "/" : path;
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    threshold = threshold == 0 ? DEFAULT_THRESHOLD : threshold;
    // A probe that outlives its interval would overlap the next one; cap it.
    timeout = timeout == null || timeout.compareTo(interval) > 0 ? interval : timeout;
    noHealthyBackendsBehavior =
        noHealthyBackendsBehavior == null
            ? NoHealthyBackendsBehavior.ALL_PROBED_DOWN
            : noHealthyBackendsBehavior;
  }

  /** A TCP connect probe on the rule's backend port. */
  public static ProbeConfig tcp(String name, Duration interval, int threshold) {
    return new ProbeConfig(name, ProbeProtocol.TCP, 0, null, interval, threshold, null, null);
  }

  /** An HTTP GET probe on {@code port} (0: the rule's backend port) that expects 200. */
  public static ProbeConfig http(
      String name, int port, String path, Duration interval, int threshold) {
    return new ProbeConfig(name, ProbeProtocol.HTTP, port, path, interval, threshold, null, null);
  }

  public ProbeConfig withNoHealthyBackendsBehavior(NoHealthyBackendsBehavior b) {
    return new ProbeConfig(name, protocol, port, path, interval, threshold, timeout, b);
  }

  /** Time from a backend's death to its last new flow, at most: {@code interval × threshold}. */
  public Duration failoverBound() {
    return interval.multipliedBy(threshold);
  }
}
