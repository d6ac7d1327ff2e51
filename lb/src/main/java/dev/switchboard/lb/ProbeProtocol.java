package dev.switchboard.lb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a probe checks a backend: a TCP connect, or an HTTP GET that must answer 200. */
public enum ProbeProtocol {
  TCP("tcp"),
  HTTP("http");

  private final String wireName;

  ProbeProtocol(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static ProbeProtocol parse(String s) {
    for (ProbeProtocol p : values()) {
      if (p.wireName.equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new LbException(
        LbException.Code.INVALID, "probe protocol must be tcp or http, got '" + s + "'");
  }
}
