package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code switchboard delay}: bytes pass intact both ways, and bad input is refused clearly. */
class DelayCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine cli() {
    CommandLine cl = Switchboard.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl;
  }

  @Test
  void relaysBothWaysThroughEveryListener() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> echoOnce(echo), "echo");
      server.start();
      int a = free();
      int b = free();
      AtomicInteger rc = new AtomicInteger(-1);
      Thread run =
          new Thread(
              () ->
                  rc.set(
                      cli()
                          .execute(
                              "delay",
                              "--delay",
                              "20ms",
                              "--listen",
                              "127.0.0.1:" + a,
                              "--to",
                              "127.0.0.1:" + echo.getLocalPort(),
                              "--listen",
                              "127.0.0.1:" + b,
                              "--to",
                              "127.0.0.1:" + probe.getLocalPort())),
              "delay");
      run.start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().lines().count() == 2);
        assertThat(out.toString())
            .contains("delay: 127.0.0.1:" + a + " -> 127.0.0.1:" + echo.getLocalPort())
            .contains("20 ms each way");
        byte[] sent = new byte[3 << 20];
        new Random(7).nextBytes(sent);
        byte[] back = new byte[sent.length];
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", a), 5000);
          s.setSoTimeout(20_000);
          Thread writer =
              new Thread(
                  () -> {
                    try {
                      s.getOutputStream().write(sent);
                    } catch (Exception e) {
                      // the read below fails and says so
                    }
                  });
          writer.start();
          new DataInputStream(s.getInputStream()).readFully(back);
          writer.join();
        }
        assertThat(Arrays.equals(sent, back)).as("3 MiB echoed through the relay").isTrue();
        // The second pair is a link of its own: a connection to it arrives at its --to.
        try (Socket s = new Socket("127.0.0.1", b)) {
          probe.setSoTimeout(10_000);
          try (Socket accepted = probe.accept()) {
            assertThat(accepted.isConnected()).isTrue();
          }
        }
      } finally {
        run.interrupt();
        run.join(10_000);
        server.join(10_000);
      }
      assertThat(run.isAlive()).isFalse();
      assertThat(rc.get()).isEqualTo(0);
    }
  }

  @Test
  void unpairedListenersAreAUsageError() {
    assertThat(
            cli()
                .execute(
                    "delay",
                    "--delay",
                    "85ms",
                    "--listen",
                    "127.0.0.1:1",
                    "--listen",
                    "127.0.0.1:2",
                    "--to",
                    "127.0.0.1:3"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("give one --to per --listen").contains("got 2 --listen");
  }

  @Test
  void aDelayWithoutUnitIsAUsageError() {
    assertThat(
            cli()
                .execute(
                    "delay", "--delay", "85", "--listen", "127.0.0.1:1", "--to", "127.0.0.1:3"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--delay").contains("unit");
  }

  @Test
  void aPortInUseIsAConfigError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int rc =
          cli()
              .execute(
                  "delay",
                  "--delay",
                  "1ms",
                  "--listen",
                  "127.0.0.1:" + taken.getLocalPort(),
                  "--to",
                  "127.0.0.1:9");
      assertThat(rc).isEqualTo(ExitCodes.CONFIG);
      assertThat(err.toString()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  private static void echoOnce(ServerSocket server) {
    try (Socket s = server.accept()) {
      s.getInputStream().transferTo(s.getOutputStream());
    } catch (Exception e) {
      // the client's comparison fails and says so
    }
  }

  private static int free() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
