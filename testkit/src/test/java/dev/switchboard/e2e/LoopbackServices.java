package dev.switchboard.e2e;

import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP services on loopback for stream tests: an echo (returns every byte until the client
 * half-closes) and a sink (reads everything, then answers with the SHA-256 of what it read).
 */
final class LoopbackServices implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> accepted = new ArrayList<>();

  private LoopbackServices(boolean echo) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  synchronized (accepted) {
                    accepted.add(s);
                  }
                  Thread t = new Thread(() -> serve(s, echo), "test-service-conn");
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "test-service-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static LoopbackServices echo() throws IOException {
    return new LoopbackServices(true);
  }

  static LoopbackServices sink() throws IOException {
    return new LoopbackServices(false);
  }

  HostPort address() {
    return HostPort.of((InetSocketAddress) server.getLocalSocketAddress());
  }

  private static void serve(Socket s, boolean echo) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      MessageDigest md = sha256();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (echo) {
          out.write(buf, 0, n);
        } else {
          md.update(buf, 0, n);
        }
      }
      if (!echo) {
        out.write(md.digest());
      }
      s.shutdownOutput();
    } catch (IOException e) {
      // the stream was reset: nothing to answer
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    synchronized (accepted) {
      for (Socket s : accepted) {
        s.close();
      }
    }
    acceptor.join();
  }
}
