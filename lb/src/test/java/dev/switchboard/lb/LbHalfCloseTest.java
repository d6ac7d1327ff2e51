package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that half-closes (sends FIN after its request) still gets the whole reply. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LbHalfCloseTest {

  @Test
  void aSmallRequestThenFinGetsItsReply() throws Exception {
    exchange(100);
  }

  @Test
  void aLargerRequestThenFinGetsItsReply() throws Exception {
    exchange(100 * 1024); // one write: a burst over 64 KiB, the splice path when it is on
  }

  private static void exchange(int size) throws Exception {
    try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getByName("127.0.13.1"))) {
      Thread server = new Thread(() -> echoUntilEofThenBye(backend));
      server.setDaemon(true);
      server.start();
      LbConfig c =
          LbConfig.empty()
              .withFrontend(new FrontendConfig("fe", "127.0.13.2"))
              .withPool(PoolConfig.of("pool", Backend.of("127.0.13.1")))
              .withRule(
                  RuleConfig.builder("echo")
                      .frontend("fe")
                      .pool("pool")
                      .protocol(Protocol.TCP)
                      .backendPort(backend.getLocalPort())
                      .build());
      try (LoadBalancer lb = LoadBalancer.start(c, 1);
          Socket s = new Socket()) {
        s.connect(lb.address("echo"), 5000);
        byte[] request = new byte[size];
        new Random(size).nextBytes(request);
        Thread writer =
            new Thread(
                () -> {
                  try {
                    s.getOutputStream().write(request);
                    s.shutdownOutput(); // FIN: the request is complete
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        writer.start();
        byte[] reply = readAll(s.getInputStream());
        writer.join();
        byte[] expected = Arrays.copyOf(request, size + 3);
        System.arraycopy("bye".getBytes(), 0, expected, size, 3);
        assertThat(reply.length).isEqualTo(expected.length);
        assertThat(reply).isEqualTo(expected);
      }
    }
  }

  /** Echoes everything, and after the client's FIN says "bye" and closes. */
  private static void echoUntilEofThenBye(ServerSocket ss) {
    try (Socket c = ss.accept()) {
      InputStream in = c.getInputStream();
      OutputStream out = c.getOutputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
      out.write("bye".getBytes());
      out.flush();
    } catch (Exception ignored) {
      // the test's assertions report what went wrong
    }
  }

  private static byte[] readAll(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
