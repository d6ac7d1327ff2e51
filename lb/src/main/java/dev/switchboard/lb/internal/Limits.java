package dev.switchboard.lb.internal;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Durations;
import dev.switchboard.lb.LbException;
import java.time.Duration;

/**
 * The bounds of every number in the lb's model, shared by the file/API schema ({@link ConfigFile})
 * and the validator, so that a model built in code is held to the same limits as a file.
 */
final class Limits {
  static final String IDLE_MIN = "1ms";
  static final String IDLE_MAX = "24h";
  static final String DRAIN_MAX = "1h";
  static final String CONNECT_MIN = "1ms";
  static final String CONNECT_MAX = "10m";
  static final String TTL_MIN = "100ms";
  static final String TTL_MAX = "24h";
  static final String INTERVAL_MIN = "10ms";
  static final String INTERVAL_MAX = "1h";
  static final String TIMEOUT_MIN = "1ms";
  static final String TIMEOUT_MAX = "1h";

  static final int PRIORITY_MAX = 1_000_000;
  static final int THRESHOLD_MAX = 100;
  static final int CONNECT_ATTEMPTS_MAX = 100;
  static final int UDP_FLOWS_MAX = 10_000_000;

  private Limits() {}

  /** Refuses {@code d} outside {@code [min, max]} as INVALID, naming {@code what} and the field. */
  static void duration(String what, String field, Duration d, String min, String max) {
    try {
      Durations.check(field, d, parse(min), parse(max));
    } catch (ConfigException e) {
      throw new LbException(LbException.Code.INVALID, what + ": " + e.getMessage(), e);
    }
  }

  /** Refuses {@code v} outside {@code [min, max]} as INVALID, naming {@code what} and the field. */
  static void number(String what, String field, long v, long min, long max) {
    if (v < min || v > max) {
      throw new LbException(
          LbException.Code.INVALID,
          what + ": " + field + ": must be " + min + "-" + max + ", got " + v);
    }
  }

  private static Duration parse(String bound) {
    return Durations.parse("bound", bound, Durations.CEILING);
  }
}
