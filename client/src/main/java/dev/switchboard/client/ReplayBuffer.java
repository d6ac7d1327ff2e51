package dev.switchboard.client;

/**
 * The bytes this side sent that the peer has not acknowledged yet, so they can be sent again after
 * the session resumes on another relay. Bounded: a writer waits while it is full (the peer's
 * acknowledgements free it). Offsets count every byte of the session's outgoing stream. Not
 * thread-safe; the session guards it.
 */
final class ReplayBuffer {
  private final byte[] ring;
  private long start; // offset of the oldest unacknowledged byte
  private long end; // offset after the last byte sent

  ReplayBuffer(int capacity) {
    this.ring = new byte[capacity];
  }

  int free() {
    return ring.length - (int) (end - start);
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  /** Keeps {@code len} bytes; the caller made sure they fit ({@link #free()}). */
  void append(byte[] b, int off, int len) {
    if (len > free()) {
      throw new IllegalStateException("replay buffer overrun");
    }
    int at = (int) (end % ring.length);
    int first = Math.min(len, ring.length - at);
    System.arraycopy(b, off, ring, at, first);
    System.arraycopy(b, off + first, ring, 0, len - first);
    end += len;
  }

  /**
   * The peer has received everything before {@code offset}.
   *
   * @return false if the offset is beyond what was sent (a peer that lies or is confused)
   */
  boolean ack(long offset) {
    if (offset > end) {
      return false;
    }
    start = Math.max(start, offset);
    return true;
  }

  /** Copies up to {@code len} bytes starting at stream offset {@code from} into {@code dst}. */
  int copy(long from, byte[] dst, int off, int len) {
    if (from < start || from > end) {
      throw new IllegalArgumentException(
          "offset " + from + " outside [" + start + ", " + end + "]");
    }
    int n = (int) Math.min(len, end - from);
    int at = (int) (from % ring.length);
    int first = Math.min(n, ring.length - at);
    System.arraycopy(ring, at, dst, off, first);
    System.arraycopy(ring, 0, dst, off + first, n - first);
    return n;
  }
}
