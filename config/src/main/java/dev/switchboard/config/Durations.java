package dev.switchboard.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every file, flag and request: a whole number and a unit, {@code
 * 250ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}. A bare number is refused (is {@code 30}
 * seconds or milliseconds?), and every value is checked against a bound the caller states, so
 * nothing a user writes can overflow into a negative or absurd timeout.
 */
public final class Durations {
  /** The largest duration any field may allow; callers state smaller bounds. */
  public static final Duration CEILING = Duration.ofDays(365);

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");
  private static final String UNITS = "a whole number and a unit (ms, s, m, h or d), like 30s";

  private Durations() {}

  /**
   * Parses {@code text} for {@code field}, which must lie in {@code [min, max]}.
   *
   * @throws ConfigException naming {@code field} when the text is malformed or out of range
   */
  public static Duration parse(String field, String text, Duration min, Duration max) {
    Duration d = parseUnbounded(field, text);
    bound(field, d, min, max, text.trim());
    return d;
  }

  /** {@link #parse(String, String, Duration, Duration)} with a minimum of zero. */
  public static Duration parse(String field, String text, Duration max) {
    return parse(field, text, Duration.ZERO, max);
  }

  /** Refuses {@code d} unless it lies in {@code [min, max]}. */
  public static void check(String field, Duration d, Duration min, Duration max) {
    bound(field, d, min, max, format(d));
  }

  private static void bound(String field, Duration d, Duration min, Duration max, String shown) {
    if (d.compareTo(max) > 0) {
      throw ConfigException.field(field, "must be at most " + format(max) + ", got " + shown);
    }
    if (d.compareTo(min) < 0) {
      throw ConfigException.field(field, "must be at least " + format(min) + ", got " + shown);
    }
  }

  private static Duration parseUnbounded(String field, String text) {
    String t = text == null ? "" : text.trim();
    if (t.matches("\\d+")) {
      throw ConfigException.field(
          field, "a duration needs a unit: write " + t + "s or " + t + "ms, not " + t);
    }
    Matcher m = FORMAT.matcher(t);
    if (!m.matches()) {
      throw ConfigException.field(field, "must be a duration, " + UNITS + ", got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    long perUnitMs = unitMillis(m.group(2));
    // Compare before multiplying: 10^18 hours must be "too large", not an ArithmeticException.
    if (n > CEILING.toMillis() / perUnitMs) {
      throw ConfigException.field(field, "must be at most " + format(CEILING) + ", got " + t);
    }
    return Duration.ofMillis(n * perUnitMs);
  }

  private static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return 1_000;
      case "m":
        return 60_000;
      case "h":
        return 3_600_000;
      default:
        return 86_400_000;
    }
  }

  /**
   * Prints {@code d} in the syntax {@link #parse} reads, in the largest unit that divides it
   * ({@code 0s}, {@code 1500ms}, {@code 90s}, {@code 4m}); sub-millisecond parts are dropped.
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    for (String unit : new String[] {"d", "h", "m", "s"}) {
      long per = unitMillis(unit);
      if (ms % per == 0) {
        return ms / per + unit;
      }
    }
    return ms + "ms";
  }
}
