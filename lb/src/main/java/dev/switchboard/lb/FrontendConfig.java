package dev.switchboard.lb;

import java.util.Objects;

/** A named, stable address on which rules listen. */
public record FrontendConfig(String name, String ip) {
  public FrontendConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ip, "ip");
  }
}
