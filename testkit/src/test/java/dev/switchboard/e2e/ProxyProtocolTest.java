package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Behind a load balancer, the broker rate-limits the client address the PROXY v2 header names. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolTest {
  @TempDir Path dir;

  @Test
  void failedJoinsAreCountedPerProxiedClientAddress() throws Exception {
    TestPki pki = TestPki.create(dir);
    ClientOptions t1 = pki.targetOptions("t1");
    try (Broker b =
        TestBrokers.start(
            pki, TestBrokers.config(pki, "broker-pp").withProxyProtocol(true), Clock.systemUTC())) {
      for (int i = 0; i < 10; i++) {
        assertThat(join(b, t1, "127.0.0.91")).isEqualTo(ErrorCode.CODE_UNKNOWN);
      }
      assertThat(join(b, t1, "127.0.0.91")).isEqualTo(ErrorCode.RATE_LIMITED);
      // Same load balancer connection source, different real client (and certificate, since t1
      // has spent its per-certificate bucket too): not limited.
      assertThat(join(b, pki.targetOptions("t2"), "127.0.0.92")).isEqualTo(ErrorCode.CODE_UNKNOWN);
    }
  }

  private static ErrorCode join(Broker b, ClientOptions opts, String realClient) throws Exception {
    try (Socket raw = new Socket("127.0.0.1", b.clientPort())) {
      raw.getOutputStream()
          .write(
              proxyV2(
                  InetAddress.getByName(realClient),
                  40000,
                  InetAddress.getByName("127.0.0.1"),
                  b.clientPort()));
      SSLSocket tls =
          (SSLSocket)
              opts.sslContext()
                  .getSocketFactory()
                  .createSocket(raw, "localhost", b.clientPort(), true);
      tls.setSoTimeout(5000);
      tls.startHandshake();
      tls.getOutputStream().write(StreamFrames.encode(new Message.Hello(1, 1, "pp-test")));
      tls.getOutputStream().write(StreamFrames.encode(new Message.Join("ABCDE-FGHJK")));
      DataInputStream in = new DataInputStream(tls.getInputStream());
      assertThat(StreamFrames.read(in)).isInstanceOf(Message.HelloOk.class);
      return ((Message.Error) StreamFrames.read(in)).code();
    }
  }

  /**
   * A PROXY protocol v2 header for a TCP over IPv4 connection (haproxy proxy-protocol.txt §2.2).
   */
  static byte[] proxyV2(InetAddress src, int srcPort, InetAddress dst, int dstPort) {
    ByteBuffer b = ByteBuffer.allocate(16 + 12);
    b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    b.put((byte) 0x21); // version 2, PROXY command
    b.put((byte) 0x11); // AF_INET, STREAM
    b.putShort((short) 12);
    b.put(src.getAddress())
        .put(dst.getAddress())
        .putShort((short) srcPort)
        .putShort((short) dstPort);
    return b.array();
  }
}
