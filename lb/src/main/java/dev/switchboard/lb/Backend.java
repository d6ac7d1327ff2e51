package dev.switchboard.lb;

import java.util.Objects;

/** One IP-based member of a backend pool; the IP is its identity within the pool. */
public record Backend(String ip, String name) {
  public Backend {
    Objects.requireNonNull(ip, "ip");
    if (name == null || name.isBlank()) {
      name = ip;
    }
  }

  public static Backend of(String ip) {
    return new Backend(ip, ip);
  }
}
