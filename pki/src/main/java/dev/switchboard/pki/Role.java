package dev.switchboard.pki;

import java.util.Locale;

/** What a certificate's holder is allowed to be in the network. */
public enum Role {
  BROKER,
  CONTROLLER,
  TARGET;

  /** The lower-case identifier used on the command line and inside certificates. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a role id, ignoring case.
   *
   * @throws IllegalArgumentException if {@code s} is not broker, controller or target
   */
  public static Role parse(String s) {
    if (s != null) {
      for (Role r : values()) {
        if (r.id().equalsIgnoreCase(s.trim())) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + s + "' (expected broker, controller or target)");
  }

  /** Exact lower-case match, as used when reading certificates; null if none. */
  static Role fromId(String id) {
    for (Role r : values()) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }
}
