package dev.switchboard.lb.internal;

/** What one probe monitor watches: a probe definition applied to one backend address and port. */
public record HealthKey(String probe, String ip, int port) {
  @Override
  public String toString() {
    return probe + "@" + ip + ":" + port;
  }
}
