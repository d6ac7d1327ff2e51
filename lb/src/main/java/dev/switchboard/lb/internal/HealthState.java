package dev.switchboard.lb.internal;

/**
 * The probe state machine: a backend starts up, and {@code threshold} consecutive results that
 * disagree with its state flip it; any agreeing result resets the streak.
 */
public final class HealthState {
  private final int threshold;
  private boolean up = true;
  private int streak;

  public HealthState(int threshold) {
    this.threshold = Math.max(1, threshold);
  }

  /** Records one probe result and returns true if the state changed. */
  public synchronized boolean record(boolean ok) {
    if (ok == up) {
      streak = 0;
      return false;
    }
    if (++streak < threshold) {
      return false;
    }
    up = ok;
    streak = 0;
    return true;
  }

  public synchronized boolean isUp() {
    return up;
  }
}
