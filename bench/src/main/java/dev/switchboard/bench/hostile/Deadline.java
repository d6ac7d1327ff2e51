package dev.switchboard.bench.hostile;

/** When the attack ends: a time, which a stop request can bring forward. */
final class Deadline {
  private volatile long at;

  Deadline(long at) {
    this.at = at;
  }

  boolean open() {
    return System.currentTimeMillis() < at;
  }

  long at() {
    return at;
  }

  void endNow() {
    at = Math.min(at, System.currentTimeMillis());
  }
}
