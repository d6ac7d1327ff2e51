package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/**
 * Issue 12, item 1: an authenticated controller sends HELLO, then PINGs as fast as the connection
 * takes them and never reads a reply; when the broker cuts it off, it connects again.
 */
final class ControlFlood implements Runnable {
  private static final byte[] CHUNK;

  static {
    byte[] ping = StreamFrames.encode(new Message.Ping(7));
    CHUNK = new byte[(65536 / ping.length) * ping.length];
    for (int i = 0; i < CHUNK.length; i += ping.length) {
      System.arraycopy(ping, 0, CHUNK, i, ping.length);
    }
  }

  private final ClientOptions identity;
  private final BrokerEndpoint broker;
  private final Deadline deadline;
  private final Counts counts;
  private final List<Socket> open;

  ControlFlood(
      ClientOptions identity,
      BrokerEndpoint broker,
      Deadline deadline,
      Counts counts,
      List<Socket> open) {
    this.identity = identity;
    this.broker = broker;
    this.deadline = deadline;
    this.counts = counts;
    this.open = open;
  }

  @Override
  public void run() {
    while (deadline.open()) {
      Socket s = null;
      try {
        s = RawTls.helloOver(RawTls.tcp(identity, broker, null), identity, broker);
        open.add(s); // closed by the main thread at the deadline: a blocked write returns
        counts.add("flood.connections");
        OutputStream out = s.getOutputStream();
        while (deadline.open()) {
          out.write(CHUNK);
          out.flush();
          counts.add("flood.bytes", CHUNK.length);
        }
      } catch (IOException e) {
        if (deadline.open()) {
          counts.failure("flood.ended", e);
          LegitLoad.sleep(200);
        }
      } finally {
        RawTls.closeQuietly(s);
      }
    }
  }
}
