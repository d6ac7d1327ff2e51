package dev.switchboard.time;

/** A monotonic nanosecond source; only differences between two readings mean anything. */
@FunctionalInterface
public interface Ticker {

  /** Monotonic nanoseconds, like {@link System#nanoTime()}. */
  long nanoTime();

  /** The system's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
