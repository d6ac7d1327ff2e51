package dev.switchboard.lb.internal;

import dev.switchboard.lb.LbException;
import dev.switchboard.lb.Protocol;
import dev.switchboard.time.Scheduler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The bound sockets of one rule (a TCP server socket and/or a UDP socket) on one address. */
final class Listener {
  private static final int EPHEMERAL_RETRIES = 8;
  final String ip;
  final int requestedPort;
  final Protocol protocol;
  final int port;
  private final List<Channel> tcp;
  private final List<Channel> udp;

  private Listener(
      String ip,
      int requestedPort,
      Protocol protocol,
      int port,
      List<Channel> tcp,
      List<Channel> udp) {
    this.ip = ip;
    this.requestedPort = requestedPort;
    this.protocol = protocol;
    this.port = port;
    this.tcp = tcp;
    this.udp = udp;
  }

  /** True if this listener already serves {@code ip:port/protocol} (port 0 matches any). */
  boolean serves(String ip, int port, Protocol protocol) {
    return this.ip.equals(ip)
        && this.protocol == protocol
        && (port == requestedPort || port == this.port);
  }

  /** Binds synchronously (call off the event loops); throws PORT_IN_USE if the OS refuses. */
  static Listener bind(
      RuleRuntime rule,
      String ip,
      int port,
      Protocol protocol,
      EventLoopGroup group,
      Transport transport,
      Scheduler scheduler) {
    int attempts = port == 0 && protocol == Protocol.ALL ? EPHEMERAL_RETRIES : 1;
    LbException last = null;
    for (int i = 0; i < attempts; i++) {
      List<Channel> tcp = new ArrayList<>();
      try {
        int p = port;
        if (protocol.includesTcp()) {
          p = bindTcp(tcp, rule, ip, p, group, transport);
        }
        List<Channel> udp = new ArrayList<>();
        if (protocol.includesUdp()) {
          if (transport.epoll()) {
            p = claim(ip, p, true);
          }
          udp.add(
              bindUdp(
                  rule,
                  new InetSocketAddress(Addresses.parse(ip), p),
                  group,
                  transport,
                  scheduler));
          p = ((InetSocketAddress) udp.get(0).localAddress()).getPort();
          // With SO_REUSEPORT the kernel hashes each client's 4-tuple to one socket, so every
          // event loop gets its own socket and flow table and a client's flow stays on one.
          int loops = transport.epoll() && REUSEPORT_UDP ? loops(group) : 1;
          try {
            for (int k = 1; k < loops; k++) {
              udp.add(
                  bindUdp(
                      rule,
                      new InetSocketAddress(Addresses.parse(ip), p),
                      group,
                      transport,
                      scheduler));
            }
          } catch (LbException e) {
            udp.forEach(Channel::close);
            throw e;
          }
        }
        return new Listener(ip, port, protocol, p, tcp, udp);
      } catch (LbException e) {
        tcp.forEach(c -> c.close().syncUninterruptibly());
        last = e;
      }
    }
    throw last;
  }

  /**
   * Binds the rule's TCP server socket(s) into {@code out} and returns the port. By default one
   * socket, accepted on one event loop, which hands connections to the loops in turn. With {@code
   * -Dswitchboard.lb.reusePortAccept=true} (epoll) every event loop gets its own {@code
   * SO_REUSEPORT} acceptor instead and keeps the connections it accepts; that saves a hand-off
   * between threads per connection, but the kernel hashes each new connection to one socket
   * whatever its loop is doing, so when a loop thread waits for a CPU (a busy or shared host) the
   * connections hashed to it wait too, while a shared socket is drained by whichever batch of
   * accepts runs next. On the 2-core benchmark machine of docs/benchmarks.md, loaded by other work,
   * the shared socket carried 1.7–2.0× the new connections per second (wrk, interleaved A/B).
   */
  private static int bindTcp(
      List<Channel> out,
      RuleRuntime rule,
      String ip,
      int port,
      EventLoopGroup group,
      Transport transport) {
    ChannelHandler child = new TcpFrontendHandler(rule, transport);
    if (!transport.epoll() || !REUSEPORT_ACCEPT) {
      out.add(
          bindTcp(
              rule,
              new InetSocketAddress(Addresses.parse(ip), port),
              group,
              group,
              child,
              transport,
              false));
      return ((InetSocketAddress) out.get(0).localAddress()).getPort();
    }
    // SO_REUSEPORT would let the bind succeed next to another SO_REUSEPORT listener on the same
    // address (another rule of ours, another balancer process), so first claim the address with
    // a plain bound socket: that fails like a plain listener would, and picks the port for port 0.
    int p = claim(ip, port, false);
    for (EventExecutor e : group) {
      EventLoop loop = (EventLoop) e;
      out.add(
          bindTcp(
              rule,
              new InetSocketAddress(Addresses.parse(ip), p),
              loop,
              loop,
              child,
              transport,
              true));
      p = ((InetSocketAddress) out.get(0).localAddress()).getPort();
    }
    return p;
  }

  /**
   * Binds a plain socket (no {@code SO_REUSEPORT}) to {@code ip:port} and releases it, returning
   * the port: fails with PORT_IN_USE where a plain listener would, which the {@code SO_REUSEPORT}
   * sockets bound next would not (they share the port with any other {@code SO_REUSEPORT} socket,
   * another balancer's included, and would split its traffic).
   */
  private static int claim(String ip, int port, boolean udp) {
    InetSocketAddress want = new InetSocketAddress(Addresses.parse(ip), port);
    Socket probe = udp ? Socket.newSocketDgram() : Socket.newSocketStream();
    try {
      // TCP: a listener that just closed leaves TIME_WAIT behind, which must not block a rebind.
      // UDP has no TIME_WAIT, and SO_REUSEADDR would let it share a port with another such socket.
      probe.setReuseAddress(!udp);
      probe.bind(want);
      return ((InetSocketAddress) probe.localAddress()).getPort();
    } catch (IOException e) {
      throw new LbException(
          LbException.Code.PORT_IN_USE,
          "cannot listen on " + (udp ? "udp " : "tcp ") + ip + ":" + port + ": " + e.getMessage(),
          e);
    } finally {
      try {
        probe.close();
      } catch (IOException ignored) {
        // nothing was bound
      }
    }
  }

  private static final boolean REUSEPORT_ACCEPT =
      Boolean.getBoolean("switchboard.lb.reusePortAccept");
  private static final boolean REUSEPORT_UDP =
      !"false".equals(System.getProperty("switchboard.lb.reusePortUdp"));

  private static Channel bindTcp(
      RuleRuntime rule,
      InetSocketAddress addr,
      EventLoopGroup parent,
      EventLoopGroup childGroup,
      ChannelHandler child,
      Transport transport,
      boolean reusePort) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(parent, childGroup)
            .channelFactory(transport.serverChannelFactory(addr))
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.AUTO_READ, false)
            // An early FIN (request and FIN before the backend is connected) must not close the
            // client.
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            // No TCP_NODELAY child option: Netty's socket configs enable it by default, and setting
            // it again costs a setsockopt per accepted connection.
            .childHandler(child);
    if (reusePort) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    return await(b.bind(addr), "tcp", addr);
  }

  private static Channel bindUdp(
      RuleRuntime rule,
      InetSocketAddress addr,
      EventLoopGroup group,
      Transport transport,
      Scheduler scheduler) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(transport.datagramChannel())
            .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
            .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
            .handler(new UdpFrontendHandler(rule, transport, scheduler));
    transport.batchDatagramReads(b);
    if (transport.epoll() && REUSEPORT_UDP) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    return await(b.bind(addr), "udp", addr);
  }

  private static int loops(EventLoopGroup group) {
    int n = 0;
    for (EventExecutor ignored : group) {
      n++;
    }
    return n;
  }

  private static Channel await(ChannelFuture f, String proto, InetSocketAddress addr) {
    f.awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new LbException(
          LbException.Code.PORT_IN_USE,
          "cannot listen on "
              + proto
              + " "
              + addr.getHostString()
              + ":"
              + addr.getPort()
              + ": "
              + f.cause().getMessage(),
          f.cause());
    }
    return f.channel();
  }

  /** Stops accepting; established TCP connections continue, UDP flows end with the socket. */
  void close() {
    for (Channel c : tcp) {
      c.close().syncUninterruptibly();
    }
    for (Channel c : udp) {
      c.close().syncUninterruptibly();
    }
  }
}
