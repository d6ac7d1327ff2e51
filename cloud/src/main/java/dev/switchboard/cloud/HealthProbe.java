package dev.switchboard.cloud;

import java.util.Locale;

/**
 * A load-balancer health probe of one container group: TCP connect or HTTP GET (Azure probes cannot
 * be UDP), and what happens to new flows when it says the group is down.
 *
 * @param path the HTTP path, or null for TCP
 * @param allProbedUp {@code noHealthyBackendsBehavior: AllProbedUp}: when every backend of the
 *     rule's pool is probed down, new flows still go to all of them (so a one-member pool is never
 *     taken out); false is ARM's default, {@code AllProbedDown}
 */
public record HealthProbe(
    String name,
    Kind kind,
    int port,
    String path,
    int intervalSeconds,
    int threshold,
    boolean allProbedUp) {
  public static final int INTERVAL_SECONDS = 5;
  public static final int THRESHOLD = 2;

  /** How the probe asks. */
  public enum Kind {
    TCP,
    HTTP;

    public String lower() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public HealthProbe {
    kind = kind == null ? Kind.TCP : kind;
  }

  public static HealthProbe tcp(String name, int port, boolean allProbedUp) {
    return new HealthProbe(name, Kind.TCP, port, null, INTERVAL_SECONDS, THRESHOLD, allProbedUp);
  }

  /** {@code tcp 5060} or {@code http 8080 /healthz}. */
  public String target() {
    return kind.lower() + " " + port + (path == null ? "" : " " + path);
  }

  /** One sentence on what is probed and what a failing probe does, for {@code run} and plans. */
  public String describe() {
    String what =
        "probe "
            + name
            + ": "
            + target()
            + " every "
            + intervalSeconds
            + " s; after "
            + threshold
            + " failures in a row ";
    return allProbedUp
        ? what
            + "it reads down, but new flows still reach the group (noHealthyBackendsBehavior"
            + " AllProbedUp: a UDP-only group without --health-port is never taken out)"
        : what + "the group gets no new flows until the probe succeeds again";
  }
}
