package dev.switchboard.cloud.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** Loopback clients and polling helpers for end-to-end tests. */
public final class Net {
  private Net() {}

  /** A port free on 127.0.0.1 for TCP and UDP right now. */
  public static int freePort() throws Exception {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        int port = s.getLocalPort();
        try (DatagramSocket d = new DatagramSocket(port)) {
          return port;
        } catch (Exception e) {
          // UDP side taken; try another.
        }
      }
    }
    throw new IllegalStateException("no free port");
  }

  /** Sends one line over TCP and returns the answer line, or empty if there is none. */
  public static Optional<String> tcp(String host, int port, String line) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(1500);
      OutputStream out = s.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answer =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      return Optional.ofNullable(answer);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** Sends one datagram from a fresh socket and returns the answer, or empty if none came. */
  public static Optional<String> udp(String host, int port, String payload) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(700);
      byte[] b = payload.getBytes(StandardCharsets.UTF_8);
      s.send(new DatagramPacket(b, b.length, new InetSocketAddress(host, port)));
      byte[] buf = new byte[2048];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return Optional.of(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * Polls {@code probe} until it yields a value or {@code limit} passes (a bound, not an asserted
   * time).
   */
  public static <T> T await(String what, Duration limit, Supplier<Optional<T>> probe) {
    return Awaitility.await(what)
        .atMost(limit)
        .pollInterval(Duration.ofMillis(100))
        .until(probe::get, Optional::isPresent)
        .get();
  }

  /** The shell command that runs {@link EchoTask} with this JVM's java and the test classes. */
  public static String echoTaskCommand() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes =
        Path.of(EchoTask.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    return "exec "
        + java
        + " -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "
        + classes
        + " "
        + EchoTask.class.getName();
  }
}
