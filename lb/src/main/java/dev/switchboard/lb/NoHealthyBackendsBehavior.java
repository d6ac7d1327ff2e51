package dev.switchboard.lb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a rule does when every backend of its pool is probed down (Azure's property of the same
 * name).
 */
public enum NoHealthyBackendsBehavior {
  /** Refuse new flows; established TCP connections continue. */
  ALL_PROBED_DOWN("allProbedDown"),
  /** Treat every backend as up and keep sending new flows. */
  ALL_PROBED_UP("allProbedUp");

  private final String wireName;

  NoHealthyBackendsBehavior(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static NoHealthyBackendsBehavior parse(String s) {
    for (NoHealthyBackendsBehavior b : values()) {
      if (b.wireName.equalsIgnoreCase(s)) {
        return b;
      }
    }
    throw new LbException(
        LbException.Code.INVALID,
        "noHealthyBackendsBehavior must be allProbedDown or allProbedUp, got '" + s + "'");
  }
}
