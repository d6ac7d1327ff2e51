package dev.switchboard.lb.internal;

import dev.switchboard.lb.LbException;
import dev.switchboard.lb.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;

/** The bound sockets of one rule (a TCP server socket and/or a UDP socket) on one address. */
final class Listener {
  private static final int EPHEMERAL_RETRIES = 8;
  final String ip;
  final int requestedPort;
  final Protocol protocol;
  final int port;
  private final Channel tcp;
  private final java.util.List<Channel> udp;

  private Listener(String ip, int requestedPort, Protocol protocol, int port, Channel tcp,
      java.util.List<Channel> udp) {
    this.ip = ip;
    this.requestedPort = requestedPort;
    this.protocol = protocol;
    this.port = port;
    this.tcp = tcp;
    this.udp = udp;
  }

  /** True if this listener already serves {@code ip:port/protocol} (port 0 matches any). */
  boolean serves(String ip, int port, Protocol protocol) {
    return this.ip.equals(ip) && this.protocol == protocol
        && (port == requestedPort || port == this.port);
  }

  /** Binds synchronously (call off the event loops); throws PORT_IN_USE if the OS refuses. */
  static Listener bind(RuleRuntime rule, String ip, int port, Protocol protocol, EventLoopGroup group,
      Transport transport, Scheduler scheduler) {
    int attempts = port == 0 && protocol == Protocol.ALL ? EPHEMERAL_RETRIES : 1;
    LbException last = null;
    for (int i = 0; i < attempts; i++) {
      Channel tcp = null;
      try {
        int p = port;
        if (protocol.includesTcp()) {
          tcp = bindTcp(rule, new InetSocketAddress(Addresses.parse(ip), p), group, transport);
          p = ((InetSocketAddress) tcp.localAddress()).getPort();
        }
        java.util.List<Channel> udp = new java.util.ArrayList<>();
        if (protocol.includesUdp()) {
          udp.add(bindUdp(rule, new InetSocketAddress(Addresses.parse(ip), p), group, transport,
              scheduler));
          p = ((InetSocketAddress) udp.get(0).localAddress()).getPort();
          // With SO_REUSEPORT the kernel hashes each client's 4-tuple to one socket, so every
          // event loop gets its own socket and flow table and a client's flow stays on one.
          int loops = transport.epoll() ? loops(group) : 1;
          try {
            for (int k = 1; k < loops; k++) {
              udp.add(bindUdp(rule, new InetSocketAddress(Addresses.parse(ip), p), group, transport,
                  scheduler));
            }
          } catch (LbException e) {
            udp.forEach(Channel::close);
            throw e;
          }
        }
        return new Listener(ip, port, protocol, p, tcp, udp);
      } catch (LbException e) {
        if (tcp != null) {
          tcp.close().syncUninterruptibly();
        }
        last = e;
      }
    }
    throw last;
  }

  private static Channel bindTcp(RuleRuntime rule, InetSocketAddress addr, EventLoopGroup group,
      Transport transport) {
    ServerBootstrap b = new ServerBootstrap()
        .group(group, group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(TcpRelayInitializer.childHandler(rule, transport));
    return await(b.bind(addr), "tcp", addr);
  }

  private static Channel bindUdp(RuleRuntime rule, InetSocketAddress addr, EventLoopGroup group,
      Transport transport, Scheduler scheduler) {
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(transport.datagramChannel())
        .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
        .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
        .handler(new UdpFrontendHandler(rule, transport, scheduler));
    transport.batchDatagramReads(b);
    if (transport.epoll()) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    return await(b.bind(addr), "udp", addr);
  }

  private static int loops(EventLoopGroup group) {
    int n = 0;
    for (io.netty.util.concurrent.EventExecutor ignored : group) {
      n++;
    }
    return n;
  }

  private static Channel await(io.netty.channel.ChannelFuture f, String proto, InetSocketAddress addr) {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new LbException(LbException.PORT_IN_USE, "cannot listen on " + proto + " "
          + addr.getHostString() + ":" + addr.getPort() + ": " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }

  /** Stops accepting; established TCP connections continue, UDP flows end with the socket. */
  void close() {
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    for (Channel c : udp) {
      c.close().syncUninterruptibly();
    }
  }
}
