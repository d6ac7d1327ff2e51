package dev.switchboard.time;

import java.time.Duration;

/** Blocks the calling thread for a while; tests substitute one that moves a fake clock instead. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration d) throws InterruptedException;

  /** {@link Thread#sleep}. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
  }
}
