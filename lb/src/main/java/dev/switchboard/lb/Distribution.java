package dev.switchboard.lb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a rule maps a flow to a backend; the first three names and tuples follow Azure Load Balancer.
 */
public enum Distribution {
  /** Hash of source IP, source port, destination IP, destination port and protocol. */
  DEFAULT("default"),
  /** Hash of source IP and destination IP: a client sticks to one backend. */
  SOURCE_IP("sourceIP"),
  /** Hash of source IP, destination IP and protocol. */
  SOURCE_IP_PROTOCOL("sourceIPProtocol"),
  /**
   * Only the eligible backends with the lowest {@link Backend#priority} value take new flows,
   * spread by the same hash as {@link #DEFAULT}; when they all go down the next level takes over.
   */
  PRIORITY("priority");

  private final String wireName;

  Distribution(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static Distribution parse(String s) {
    for (Distribution d : values()) {
      if (d.wireName.equalsIgnoreCase(s)) {
        return d;
      }
    }
    throw new LbException(
        LbException.Code.INVALID,
        "distribution must be default, sourceIP, sourceIPProtocol or priority, got '" + s + "'");
  }
}
