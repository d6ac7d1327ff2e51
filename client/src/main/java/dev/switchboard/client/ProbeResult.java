package dev.switchboard.client;

import java.util.Arrays;

/**
 * Latency to one broker measured over an established TLS connection: the median of several
 * application-level pings, or the reason the broker was skipped. {@code servedBy} is the broker
 * that answered (from HELLO_OK): normally the endpoint's own, another one when the load-balancing
 * tier failed the hostname over to another region.
 */
public record ProbeResult(
    BrokerEndpoint endpoint,
    String servedBy,
    double medianMs,
    double[] samplesMs,
    String error,
    BrokerConnection connection) {

  public boolean reachable() {
    return error == null;
  }

  @Override
  public String toString() {
    return endpoint.id()
        + (servedBy != null && !servedBy.equals(endpoint.id())
            ? " (served by " + servedBy + ")"
            : "")
        + (reachable()
            ? String.format(" %.1f ms %s", medianMs, Arrays.toString(samplesMs))
            : " unreachable: " + error);
  }
}
