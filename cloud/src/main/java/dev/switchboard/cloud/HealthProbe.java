package dev.switchboard.cloud;

/** A TCP health probe on one port (Azure probes cannot be UDP, so every probe is TCP). */
public record HealthProbe(String name, int port, int intervalSeconds, int threshold) {
  public static final int INTERVAL_SECONDS = 5;
  public static final int THRESHOLD = 2;

  public static HealthProbe tcp(int port) {
    return new HealthProbe(Names.probe(port), port, INTERVAL_SECONDS, THRESHOLD);
  }
}
