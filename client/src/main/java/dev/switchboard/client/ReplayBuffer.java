package dev.switchboard.client;

/**
 * The bytes this side sent that the peer has not acknowledged yet, so they can be sent again after
 * the session resumes on another relay. Bounded: a writer waits while it is full (the peer's
 * acknowledgements free it). Offsets count every byte of the session's outgoing stream. Not
 * thread-safe; the session guards it.
 */
final class ReplayBuffer {
  /** What an idle session holds; the buffer doubles up to its capacity while data is in flight. */
  static final int INITIAL = 16 * 1024;

  private final int capacity;
  private byte[] ring;
  private long start; // offset of the oldest unacknowledged byte
  private long end; // offset after the last byte sent

  ReplayBuffer(int capacity) {
    this.capacity = capacity;
    this.ring = new byte[Math.min(INITIAL, capacity)];
  }

  int free() {
    return capacity - (int) (end - start);
  }

  /** Bytes allocated now (for memory figures). */
  int allocated() {
    return ring.length;
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
    int used = (int) (end - start);
    if (ring.length - used < len) {
      grow(used + len);
    }
    int at = (int) (end % ring.length);
    int first = Math.min(len, ring.length - at);
    System.arraycopy(b, off, ring, at, first);
    System.arraycopy(b, off + first, ring, 0, len - first);
    end += len;
  }

  private void grow(int needed) {
    int size = ring.length;
    while (size < needed) {
      size = Math.min(capacity, size * 2);
    }
    int used = (int) (end - start);
    byte[] bigger = new byte[size];
    int from = (int) (start % ring.length);
    int first = Math.min(used, ring.length - from);
    int to = (int) (start % size);
    // Unwrap the old ring, then wrap the same offsets around the new length.
    byte[] flat = new byte[used];
    System.arraycopy(ring, from, flat, 0, first);
    System.arraycopy(ring, 0, flat, first, used - first);
    int head = Math.min(used, size - to);
    System.arraycopy(flat, 0, bigger, to, head);
    System.arraycopy(flat, head, bigger, 0, used - head);
    ring = bigger;
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
