package dev.switchboard.lb;

import java.util.List;
import java.util.Objects;

/**
 * A named backend pool and its statically configured backends (leased ones are added at run time).
 */
public record PoolConfig(String name, List<Backend> backends) {
  public PoolConfig {
    Objects.requireNonNull(name, "name");
    backends = backends == null ? List.of() : List.copyOf(backends);
  }

  public static PoolConfig of(String name, Backend... backends) {
    return new PoolConfig(name, List.of(backends));
  }
}
