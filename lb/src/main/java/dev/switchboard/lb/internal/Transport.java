package dev.switchboard.lb.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Native epoll on Linux when it loads, NIO elsewhere; one place picks the channel classes. */
public record Transport(
    boolean epoll,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends DatagramChannel> datagramChannel) {

  /** Epoll if available unless the {@code switchboard.lb.nio} system property is set. */
  public static Transport detect() {
    if (Epoll.isAvailable() && !Boolean.getBoolean("switchboard.lb.nio")) {
      return new Transport(true, EpollServerSocketChannel.class, EpollSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return nio();
  }

  public static Transport nio() {
    return new Transport(false, NioServerSocketChannel.class, NioSocketChannel.class,
        NioDatagramChannel.class);
  }

  /** A new unregistered client socket channel (what a Bootstrap would create, without one). */
  public SocketChannel newSocketChannel() {
    return epoll ? new EpollSocketChannel() : new NioSocketChannel();
  }

  public EventLoopGroup newGroup(int threads) {
    IoHandlerFactory f = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, f);
  }
}
