package dev.switchboard.bench;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/** Completes a TLS handshake between two engines through memory buffers, for micro-benchmarks. */
final class InMemoryHandshake {
  private InMemoryHandshake() {}

  /**
   * Handshakes, then lets the client consume the server's post-handshake messages (TLS 1.3 session
   * tickets) so that the next record either reads is application data.
   */
  static void run(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer c2s = ByteBuffer.allocate(1 << 16);
    ByteBuffer s2c = ByteBuffer.allocate(1 << 16);
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int i = 0; i < 1000; i++) {
      boolean progressed =
          step(client, c2s, s2c, sink, empty) | step(server, s2c, c2s, sink, empty);
      if (finished(client) && finished(server) && c2s.position() == 0 && s2c.position() == 0) {
        return;
      }
      if (!progressed && finished(client) && finished(server)) {
        break;
      }
    }
    if (!finished(client) || !finished(server)) {
      throw new SSLException(
          "in-memory handshake did not finish: client "
              + client.getHandshakeStatus()
              + ", server "
              + server.getHandshakeStatus());
    }
  }

  private static boolean finished(SSLEngine e) {
    HandshakeStatus s = e.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  /** Moves one engine forward: runs tasks, writes what it wants to send, reads what it was sent. */
  private static boolean step(
      SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer sink, ByteBuffer empty)
      throws SSLException {
    boolean progressed = false;
    Runnable task;
    while ((task = e.getDelegatedTask()) != null) {
      task.run();
      progressed = true;
    }
    if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      e.wrap(empty, out);
      progressed = true;
    }
    in.flip();
    while (in.hasRemaining()) {
      sink.clear();
      int before = in.remaining();
      e.unwrap(in, sink);
      while ((task = e.getDelegatedTask()) != null) {
        task.run();
      }
      if (in.remaining() == before) {
        break;
      }
      progressed = true;
    }
    in.compact();
    return progressed;
  }
}
