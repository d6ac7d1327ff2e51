package dev.switchboard.cloud;

import java.util.Locale;

/**
 * A transport protocol a container port is exposed on; the upper-case name is the one rules use.
 */
public enum Protocol {
  TCP,
  UDP;

  /** Parses {@code tcp} or {@code udp} in any case. */
  public static Protocol parse(String s) {
    for (Protocol p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw CloudException.invalid("protocol must be tcp or udp, got '" + s + "'");
  }

  /** The lower-case name used on the command line and by the local load balancer. */
  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
