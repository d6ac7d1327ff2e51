package dev.switchboard.localnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Transports;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DelayRelayTest {
  private static final String IP = "127.0.77.1";
  private final EventLoopGroup group = Transports.group(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A client already dialling while the relay starts is relayed, never dropped. */
  @Test
  void aClientConnectingTheMomentTheRelayListensIsRelayed() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getByName(IP))) {
      threads.execute(() -> echoAll(echo));
      InetSocketAddress upstream = (InetSocketAddress) echo.getLocalSocketAddress();
      for (int i = 0; i < 200; i++) {
        InetSocketAddress at = freeAddress();
        CompletableFuture<String> reply =
            CompletableFuture.supplyAsync(() -> pingAsSoonAsListening(at), threads);
        DelayRelay relay =
            DelayRelay.start(
                group, Transports.serverChannel(), Transports.channel(), at, () -> upstream, 0);
        try {
          assertThat(reply.get(30, TimeUnit.SECONDS)).as("attempt %d", i).isEqualTo("ping");
        } finally {
          relay.close();
        }
      }
    }
  }

  private static InetSocketAddress freeAddress() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(IP))) {
      return (InetSocketAddress) s.getLocalSocketAddress();
    }
  }

  /** Dials until the port listens (the race under test), sends "ping", returns the echo. */
  private static String pingAsSoonAsListening(InetSocketAddress at) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      try (Socket s = new Socket()) {
        try {
          s.connect(at);
        } catch (ConnectException refused) {
          continue; // not listening yet: dial again at once, to land right after the bind
        }
        s.setSoTimeout(10_000);
        s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        byte[] b = s.getInputStream().readNBytes(4);
        return new String(b, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        return e.toString();
      }
    }
    return "never listened";
  }

  private void echoAll(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket c = server.accept();
        threads.execute(
            () -> {
              try (c;
                  InputStream in = c.getInputStream()) {
                in.transferTo(c.getOutputStream());
              } catch (IOException ignored) {
                // the test closed it
              }
            });
      } catch (IOException | RuntimeException closed) {
        return;
      }
    }
  }
}
