package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.StreamFrames;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * Issue 12, item 2: a client that is not a load balancer opens with a PROXY header claiming another
 * source address (v1 and v2 in turn), then tries a wrong code under that address.
 */
final class ForgedProxy implements Runnable {
  private final ClientOptions identity;
  private final List<BrokerEndpoint> brokers;
  private final long pauseMillis;
  private final Deadline deadline;
  private final Counts counts;

  ForgedProxy(
      ClientOptions identity,
      List<BrokerEndpoint> brokers,
      double perSecond,
      Deadline deadline,
      Counts counts) {
    this.identity = identity;
    this.brokers = brokers;
    this.pauseMillis = (long) (1000 / perSecond);
    this.deadline = deadline;
    this.counts = counts;
  }

  @Override
  public void run() {
    for (int n = 0; deadline.open(); n++) {
      BrokerEndpoint b = brokers.get(n % brokers.size());
      boolean v2 = n % 2 == 0;
      String kind = v2 ? "proxy_v2" : "proxy_v1";
      byte[] forged = v2 ? v2Header(n) : v1Header(n);
      counts.add(kind + ".sent");
      Socket s = null;
      try {
        s = RawTls.tcp(identity, b, forged);
        SSLSocket tls = RawTls.helloOver(s, identity, b);
        s = tls;
        tls.getOutputStream().write(StreamFrames.encode(new Message.Join(RawTls.randomCode())));
        DataInputStream in = new DataInputStream(tls.getInputStream());
        StreamFrames.read(in); // HELLO_OK
        Message m = StreamFrames.read(in);
        counts.add(
            kind
                + ".accepted."
                + (m instanceof Message.Error e ? e.code().name() : m.getClass().getSimpleName()));
      } catch (IOException | ProtocolException | RuntimeException e) {
        counts.failure(kind + ".refused", e);
      } finally {
        RawTls.closeQuietly(s);
      }
      LegitLoad.sleep(pauseMillis);
    }
  }

  /** Claims to come from 192.0.2.N (TEST-NET-1), a different address every time. */
  private static byte[] v1Header(int n) {
    return ("PROXY TCP4 192.0.2." + (n % 250 + 1) + " 127.0.0.1 40000 7443\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] v2Header(int n) {
    ByteBuffer b = ByteBuffer.allocate(28);
    b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    b.put((byte) 0x21); // version 2, PROXY
    b.put((byte) 0x11); // TCP over IPv4
    b.putShort((short) 12);
    b.put(new byte[] {(byte) 192, 0, 2, (byte) (n % 250 + 1)});
    b.put(new byte[] {127, 0, 0, 1});
    b.putShort((short) 40000);
    b.putShort((short) 7443);
    return b.array();
  }
}
