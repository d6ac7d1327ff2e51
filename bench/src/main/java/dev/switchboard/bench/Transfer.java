package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Pushes a fixed number of bytes through stream pairs and times until the last byte arrives. */
final class Transfer {
  static final int BUFFER = 64 * 1024;
  private static final byte[] PAYLOAD = new byte[BUFFER];

  static {
    new Random(42).nextBytes(PAYLOAD); // incompressible, and no RNG cost inside the timed loop
  }

  private Transfer() {}

  /** Sends {@code bytes} controller→target (and target→controller if {@code both}); seconds. */
  static double run(Endpoints e, long bytes, boolean both, ExecutorService pool) {
    long start = System.nanoTime();
    CompletableFuture<?> all =
        CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> send(e.controllerOut(), bytes), pool),
            CompletableFuture.runAsync(() -> receive(e.targetIn(), bytes), pool),
            both ? CompletableFuture.runAsync(() -> send(e.targetOut(), bytes), pool) : done(),
            both
                ? CompletableFuture.runAsync(() -> receive(e.controllerIn(), bytes), pool)
                : done());
    all.join();
    return (System.nanoTime() - start) / 1e9;
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private static void send(OutputStream out, long bytes) {
    try {
      for (long left = bytes; left > 0; left -= BUFFER) {
        out.write(PAYLOAD, 0, (int) Math.min(BUFFER, left));
      }
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static void receive(InputStream in, long bytes) {
    byte[] buf = new byte[BUFFER];
    try {
      for (long got = 0; got < bytes; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - got));
        if (n < 0) {
          throw new IOException("stream ended after " + got + " of " + bytes + " bytes");
        }
        got += n;
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
