package dev.switchboard.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Issue 12, item 7 and the client port: holds up to {@code slots} connections to one listener, each
 * sending an opening that never completes (an HTTP request line and endless headers, or a TLS
 * record that never ends) one byte a second; a connection the broker closes is opened again.
 */
final class Slowloris implements Runnable {
  /** New connections per second and listener at most, so a refusing broker is not spun on. */
  private static final int OPENS_PER_TICK = 25;

  private final String kind;
  private final InetSocketAddress listener;
  private final InetSocketAddress source;
  private final boolean http;
  private final Deadline deadline;
  private final Counts counts;
  private final Socket[] slots;
  private final long[] openedAt;
  private final int[] sent;

  Slowloris(
      String kind,
      InetSocketAddress listener,
      InetSocketAddress source,
      boolean http,
      int slots,
      Deadline deadline,
      Counts counts) {
    this.kind = kind;
    this.listener = listener;
    this.source = source;
    this.http = http;
    this.deadline = deadline;
    this.counts = counts;
    this.slots = new Socket[slots];
    this.openedAt = new long[slots];
    this.sent = new int[slots];
  }

  @Override
  public void run() {
    try {
      while (deadline.open()) {
        tick();
        LegitLoad.sleep(1000);
      }
    } finally {
      for (Socket s : slots) {
        RawTls.closeQuietly(s);
      }
    }
  }

  private void tick() {
    int opened = 0;
    long now = System.currentTimeMillis();
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == null) {
        if (opened++ < OPENS_PER_TICK) {
          open(i, now);
        }
        continue;
      }
      try {
        slots[i].getOutputStream().write(nextByte(sent[i]++));
        slots[i].getOutputStream().flush();
        slots[i].setSoTimeout(1);
        if (slots[i].getInputStream().read() < 0) {
          throw new IOException("closed by the broker");
        }
        counts.add(kind + ".answered"); // the broker answered instead of waiting: counted, kept
      } catch (SocketTimeoutException stillOpen) {
        // the broker still waits for the rest
      } catch (IOException e) {
        long held = now - openedAt[i];
        counts.add(kind + (held < 2000 ? ".closed_within_2s" : ".closed_later"));
        counts.add(kind + ".held_ms_total", held);
        RawTls.closeQuietly(slots[i]);
        slots[i] = null;
      }
    }
  }

  private void open(int i, long now) {
    Socket s = new Socket();
    try {
      s.bind(source);
      s.connect(listener, 2000);
      slots[i] = s;
      openedAt[i] = now;
      sent[i] = 0;
      counts.add(kind + ".opened");
    } catch (IOException e) {
      counts.add(kind + ".open_failed");
      RawTls.closeQuietly(s);
    }
  }

  private static final byte[] HTTP_START =
      "GET /healthz HTTP/1.1\r\nHost: broker\r\n".getBytes(StandardCharsets.US_ASCII);
  // A TLS handshake record header announcing 16 KiB that never arrive.
  private static final byte[] TLS_START = {0x16, 0x03, 0x01, 0x40, 0x00, 0x01};

  private int nextByte(int n) {
    byte[] start = http ? HTTP_START : TLS_START;
    return n < start.length ? start[n] : http ? 'x' : 0x2a;
  }
}
