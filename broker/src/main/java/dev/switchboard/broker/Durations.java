package dev.switchboard.broker;

import java.time.Duration;

/** Parses human durations used in configuration: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h}. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String s) {
    String t = s.trim();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      switch (t.charAt(t.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("duration '" + s + "' is not like 250ms, 30s, 10m or 1h");
  }

  public static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
