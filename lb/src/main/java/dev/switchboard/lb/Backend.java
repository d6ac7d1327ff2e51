package dev.switchboard.lb;

import java.util.Objects;

/**
 * One IP-based member of a backend pool; the IP is its identity within the pool, and {@code
 * priority} (lower is preferred, default 0) ranks it under {@link Distribution#PRIORITY}.
 */
public record Backend(String ip, String name, int priority) {
  public Backend {
    Objects.requireNonNull(ip, "ip");
    if (name == null || name.isBlank()) {
      name = ip;
    }
  }

  /** A backend with priority 0. */
  public Backend(String ip, String name) {
    this(ip, name, 0);
  }

  /** A backend named by its IP, priority 0. */
  public static Backend of(String ip) {
    return new Backend(ip, ip, 0);
  }

  /** This backend with another priority. */
  public Backend withPriority(int priority) {
    return new Backend(ip, name, priority);
  }
}
