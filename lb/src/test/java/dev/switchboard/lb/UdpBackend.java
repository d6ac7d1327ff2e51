package dev.switchboard.lb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP backend that answers each datagram with "{ip} {payload}", optionally decoding PROXY v2. */
final class UdpBackend implements AutoCloseable {
  final String ip;
  private final DatagramSocket socket;
  private final boolean proxy;
  final AtomicInteger received = new AtomicInteger();
  final Set<SocketAddress> senders = ConcurrentHashMap.newKeySet();
  final List<HAProxyMessage> proxyHeaders = new CopyOnWriteArrayList<>();

  private UdpBackend(String ip, DatagramSocket socket, boolean proxy) {
    this.ip = ip;
    this.socket = socket;
    this.proxy = proxy;
    Thread t = new Thread(this::loop, "udp-backend-" + ip);
    t.setDaemon(true);
    t.start();
  }

  static UdpBackend start(String ip, int port, boolean proxy) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), port));
    return new UdpBackend(ip, s, proxy);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void loop() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        received.incrementAndGet();
        senders.add(p.getSocketAddress());
        String payload;
        if (proxy) {
          EmbeddedChannel d = new EmbeddedChannel(new HAProxyMessageDecoder());
          d.writeInbound(Unpooled.copiedBuffer(p.getData(), 0, p.getLength()));
          proxyHeaders.add(d.readInbound());
          ByteBuf rest = d.readInbound();
          payload = rest == null ? "" : rest.toString(StandardCharsets.UTF_8);
          if (rest != null) {
            rest.release();
          }
          d.finishAndReleaseAll();
        } else {
          payload = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        }
        byte[] reply = (ip + " " + payload).getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
