package dev.switchboard.lb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A line-echo TCP backend that answers "{ip} {line}", optionally decoding a PROXY header first. */
final class TcpBackend implements AutoCloseable {
  final String ip;
  private final ServerSocket server;
  private final boolean proxy;
  final AtomicInteger accepted = new AtomicInteger();
  final List<HAProxyMessage> proxyHeaders = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private TcpBackend(String ip, ServerSocket server, boolean proxy) {
    this.ip = ip;
    this.server = server;
    this.proxy = proxy;
    acceptor = new Thread(this::acceptLoop, "backend-" + ip);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static TcpBackend start(String ip, int port, boolean proxy) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 512);
    return new TcpBackend(ip, s, proxy);
  }

  int port() {
    return server.getLocalPort();
  }

  int openConnections() {
    return open.size();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "conn-" + ip);
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    EmbeddedChannel decoder = proxy ? new EmbeddedChannel(new HAProxyMessageDecoder()) : null;
    StringBuilder line = new StringBuilder();
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        String text;
        if (decoder != null) {
          decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
          StringBuilder sb = new StringBuilder();
          Object m;
          while ((m = decoder.readInbound()) != null) {
            if (m instanceof HAProxyMessage) {
              proxyHeaders.add((HAProxyMessage) m);
            } else {
              sb.append(((ByteBuf) m).toString(StandardCharsets.UTF_8));
              ((ByteBuf) m).release();
            }
          }
          text = sb.toString();
        } else {
          text = new String(buf, 0, n, StandardCharsets.UTF_8);
        }
        for (char c : text.toCharArray()) {
          if (c == '\n') {
            out.write((ip + " " + line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            line.setLength(0);
          } else {
            line.append(c);
          }
        }
      }
    } catch (IOException e) {
      // Connection reset or killed: nothing to do.
    } finally {
      open.remove(s);
    }
  }

  /** Simulates the backend dying: stop listening and drop every connection. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    // The kernel's listening socket lives until the thread blocked in accept() returns: a connect
    // in that window still completes (seen on JDK 25). Only then has the backend really died.
    try {
      acceptor.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }
}
