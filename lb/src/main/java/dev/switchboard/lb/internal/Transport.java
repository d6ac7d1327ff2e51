package dev.switchboard.lb.internal;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/** Native epoll on Linux when it loads, NIO elsewhere; one place picks the channel classes. */
public record Transport(
    boolean epoll,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends DatagramChannel> datagramChannel) {

  /** Epoll if available unless the {@code switchboard.lb.nio} system property is set. */
  public static Transport detect() {
    if (Epoll.isAvailable() && !Boolean.getBoolean("switchboard.lb.nio")) {
      return new Transport(
          true,
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return nio();
  }

  public static Transport nio() {
    return new Transport(
        false, NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
  }

  /**
   * A new unregistered client socket channel for connecting to {@code target} (what a Bootstrap
   * would create, without one). On epoll its address family is the target's: an IPv4 socket for an
   * IPv4 backend spares the dual-stack {@code IPV6_V6ONLY} set-up of the default IPv6 socket.
   */
  public SocketChannel newSocketChannel(InetSocketAddress target) {
    if (!epoll) {
      return new NioSocketChannel();
    }
    return new EpollSocketChannel(family(target));
  }

  /**
   * A factory of server channels bound to {@code local}: on epoll of the address's own family. The
   * default dual-stack IPv6 socket would hand every accepted connection IPv4-mapped IPv6 addresses,
   * converted back to IPv4 for each {@code accept}, {@code getsockname} and hash.
   */
  public ChannelFactory<ServerChannel> serverChannelFactory(InetSocketAddress local) {
    if (!epoll) {
      return NioServerSocketChannel::new;
    }
    SocketProtocolFamily f = family(local);
    return () -> new EpollServerSocketChannel(f);
  }

  private static SocketProtocolFamily family(InetSocketAddress a) {
    return a.getAddress() instanceof Inet4Address
        ? SocketProtocolFamily.INET
        : SocketProtocolFamily.INET6;
  }

  /**
   * Datagram reads of up to {@value #MAX_DATAGRAM} bytes (the largest UDP payload over IPv4, so
   * nothing is truncated; Netty's default of 2048 would cut larger datagrams), on epoll up to
   * {@value #DATAGRAMS_PER_SYSCALL} per {@code recvmmsg(2)} call instead of one {@code recvmsg}
   * each.
   */
  public void batchDatagramReads(AbstractBootstrap<?, ?> b) {
    if (epoll) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
      b.option(
          ChannelOption.RCVBUF_ALLOCATOR,
          new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_SYSCALL));
    } else {
      b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
    }
  }

  static final int MAX_DATAGRAM = 65507;
  // 16 measured best: 8 per call was 0.96–1.00× nginx's datagram rate, 16 was 1.02–1.10×, and 32
  // (a 2 MiB buffer per read) fell to 0.73× (docs/benchmarks.md, lb section).
  static final int DATAGRAMS_PER_SYSCALL = 16;

  public EventLoopGroup newGroup(int threads) {
    IoHandlerFactory f = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, f);
  }
}
