package dev.switchboard.lb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The transport protocol a rule listens on: TCP, UDP or both on the same port. */
public enum Protocol {
  TCP("tcp"),
  UDP("udp"),
  ALL("all");

  private final String wireName;

  Protocol(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in config files and the admin API. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  public boolean includesTcp() {
    return this != UDP;
  }

  public boolean includesUdp() {
    return this != TCP;
  }

  /** Parses {@code tcp}, {@code udp}, {@code all} (or {@code both}), case-insensitively. */
  @JsonCreator
  public static Protocol parse(String s) {
    if ("both".equalsIgnoreCase(s)) {
      return ALL;
    }
    for (Protocol p : values()) {
      if (p.wireName.equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new LbException(
        LbException.Code.INVALID, "protocol must be tcp, udp or all, got '" + s + "'");
  }
}
