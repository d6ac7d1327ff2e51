package dev.switchboard.client;

import java.io.IOException;

/**
 * Bytes received from the peer that the application has not read yet. The session's reader thread
 * fills it (waiting while it is full, which stops reading the relay: backpressure); the application
 * drains it. Survives a relay change, so bytes received before a break are never lost.
 */
final class InboundBuffer {
  private final int capacity;
  private byte[] ring;
  private long written;
  private long read;
  private boolean eof;
  private IOException failure;

  InboundBuffer(int capacity) {
    this.capacity = capacity;
    this.ring = new byte[Math.min(ReplayBuffer.INITIAL, capacity)];
  }

  /**
   * Appends {@code len} bytes, waiting for room.
   *
   * @return false if the buffer was ended (the application closed the session) meanwhile
   */
  synchronized boolean append(byte[] b, int off, int len) throws InterruptedException {
    while (len > 0) {
      if (written - read == ring.length && ring.length < capacity) {
        grow();
      }
      while (written - read == ring.length && failure == null && !eof) {
        wait();
      }
      if (failure != null || eof) {
        return false;
      }
      int at = (int) (written % ring.length);
      int n = (int) Math.min(len, Math.min(ring.length - at, ring.length - (written - read)));
      System.arraycopy(b, off, ring, at, n);
      written += n;
      off += n;
      len -= n;
      notifyAll();
    }
    return true;
  }

  /** Doubles the ring (it is full), keeping every byte at its stream offset. */
  private void grow() {
    byte[] bigger = new byte[Math.min(capacity, ring.length * 2)];
    for (long o = read; o < written; ) {
      int from = (int) (o % ring.length);
      int to = (int) (o % bigger.length);
      int n = (int) Math.min(written - o, Math.min(ring.length - from, bigger.length - to));
      System.arraycopy(ring, from, bigger, to, n);
      o += n;
    }
    ring = bigger;
  }

  /** The peer sends no more: reads return -1 once the buffer is drained. */
  synchronized void eof() {
    eof = true;
    notifyAll();
  }

  /** The session ended abnormally: reads throw {@code why} once the buffer is drained. */
  synchronized void fail(IOException why) {
    if (failure == null) {
      failure = why;
    }
    notifyAll();
  }

  synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (written == read) {
      if (failure != null) {
        throw failure;
      }
      if (eof) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while reading the session");
      }
    }
    int at = (int) (read % ring.length);
    int n = (int) Math.min(len, Math.min(ring.length - at, written - read));
    System.arraycopy(ring, at, b, off, n);
    read += n;
    notifyAll();
    return n;
  }

  synchronized int available() {
    return (int) (written - read);
  }
}
