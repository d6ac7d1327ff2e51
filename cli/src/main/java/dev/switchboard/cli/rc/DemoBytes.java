package dev.switchboard.cli.rc;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.Session;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** Checks the bytes a session relays: the first byte each way, then 1 MiB each way by SHA-256. */
final class DemoBytes {
  static final int VERIFY_BYTES = 1 << 20;

  private DemoBytes() {}

  /** Sends one byte as soon as the session starts and waits for the peer's. */
  static Session firstByte(Session s, DemoTimeline tl, boolean controller) {
    try {
      s.output().write(controller ? 'C' : 'T');
      s.output().flush();
      int b = s.input().read();
      if (b != (controller ? 'T' : 'C')) {
        throw new IOException("first relayed byte was wrong: " + b);
      }
      if (controller) {
        tl.controllerFirstByte = System.nanoTime();
      } else {
        tl.targetFirstByte = System.nanoTime();
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends random bytes both ways at once and compares digests; returns the bytes checked. */
  static long verify(Session a, Session b) throws Exception {
    CompletableFuture<byte[]> ab = Blocking.supply(() -> send(a, 1));
    CompletableFuture<byte[]> ba = Blocking.supply(() -> send(b, 2));
    byte[] gotAtB = digestOf(b);
    byte[] gotAtA = digestOf(a);
    if (!MessageDigest.isEqual(ab.get(), gotAtB) || !MessageDigest.isEqual(ba.get(), gotAtA)) {
      throw new IOException("data corrupted in the relay: checksums differ");
    }
    return 2L * VERIFY_BYTES;
  }

  private static byte[] send(Session s, long seed) {
    try {
      byte[] data = new byte[VERIFY_BYTES];
      new Random(seed).nextBytes(data);
      s.output().write(data);
      s.output().flush();
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static byte[] digestOf(Session s) throws Exception {
    byte[] data = new byte[VERIFY_BYTES];
    new DataInputStream(s.input()).readFully(data);
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
