package dev.switchboard.lb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP backend that records, per connection, the peer address and every byte received, and answers
 * {@code ok} to each newline; for checking exactly what a balancer forwards.
 */
final class RawBackend implements AutoCloseable {
  /** One accepted connection; {@code bytes} grows until the peer closes. */
  record Conn(InetSocketAddress peer, ByteArrayOutputStream bytes) {
    synchronized byte[] received() {
      return bytes.toByteArray();
    }
  }

  final List<Conn> conns = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private RawBackend(ServerSocket server) {
    this.server = server;
    acceptor = new Thread(this::acceptLoop, "raw-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static RawBackend start(String ip) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0), 64);
    return new RawBackend(s);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every connection's bytes so far, decoded as ISO-8859-1 (one char per byte). */
  String allReceived() {
    StringBuilder sb = new StringBuilder();
    for (Conn c : conns) {
      sb.append(new String(c.received(), StandardCharsets.ISO_8859_1)).append('|');
    }
    return sb.toString();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        Conn c =
            new Conn((InetSocketAddress) s.getRemoteSocketAddress(), new ByteArrayOutputStream());
        conns.add(c);
        Thread t = new Thread(() -> serve(s, c), "raw-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, Conn c) {
    try (s;
        InputStream in = s.getInputStream()) {
      byte[] buf = new byte[8192];
      int n;
      long seen = 0;
      long payloadFrom = -1; // known once the first 16 bytes are in: after the PROXY v2 header
      while ((n = in.read(buf)) > 0) {
        byte[] all;
        synchronized (c) {
          c.bytes.write(buf, 0, n);
          all = c.bytes.toByteArray();
        }
        if (payloadFrom < 0 && all.length >= 16) {
          payloadFrom = all[0] == 0x0D ? 16 + ((all[14] & 0xff) << 8 | (all[15] & 0xff)) : 0;
        }
        for (int i = 0; i < n; i++) {
          long at = seen + i;
          if (buf[i] == '\n' && payloadFrom >= 0 && at >= payloadFrom) {
            s.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
          }
        }
        seen += n;
      }
    } catch (IOException e) {
      // reset or closed: the record stays
    } finally {
      open.remove(s);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      acceptor.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : open) {
      s.close();
    }
  }
}
