package dev.switchboard.client;

import java.util.Arrays;

/**
 * Latency to one broker measured over an established TLS connection: the median of several
 * application-level pings, or the reason the broker was skipped.
 */
public record ProbeResult(BrokerEndpoint endpoint, double medianMs, double[] samplesMs, String error,
    BrokerConnection connection) {

  public boolean reachable() {
    return error == null;
  }

  @Override
  public String toString() {
    return endpoint.id() + (reachable() ? String.format(" %.1f ms %s", medianMs, Arrays.toString(samplesMs)) : " unreachable: " + error);
  }
}
