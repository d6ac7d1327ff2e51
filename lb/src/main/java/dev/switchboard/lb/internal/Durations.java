package dev.switchboard.lb.internal;

import dev.switchboard.lb.LbException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations as {@code 500ms}, {@code 30s}, {@code 4m}, {@code 1h} (bare numbers are seconds). */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)?");

  private Durations() {}

  public static Duration parse(String field, String s) {
    Matcher m = FORMAT.matcher(s == null ? "" : s.trim());
    if (!m.matches()) {
      throw new LbException(LbException.INVALID,
          field + " must be a duration like 500ms, 30s, 4m or 1h, got '" + s + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofSeconds(n);
    }
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
