package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The relay relies on Netty's socket defaults instead of setting TCP_NODELAY itself (a syscall per
 * connection saved): both sides of a relay must still have Nagle off, or every small reply waits.
 */
class TransportTest {
  private final Transport transport = Transport.detect();

  @Test
  void upstreamChannelsHaveNagleOff() {
    SocketChannel ch = transport.newSocketChannel(new InetSocketAddress("127.0.0.1", 1));
    try {
      assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY)).isTrue();
    } finally {
      ch.unsafe().closeForcibly();
    }
  }

  @Test
  void acceptedChannelsHaveNagleOff() throws Exception {
    EventLoopGroup group = transport.newGroup(1);
    CompletableFuture<Boolean> noDelay = new CompletableFuture<>();
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannel())
              .childHandler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(io.netty.channel.ChannelHandlerContext ctx) {
                      noDelay.complete(ctx.channel().config().getOption(ChannelOption.TCP_NODELAY));
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      try (Socket s =
          new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
        assertThat(noDelay.get(20, TimeUnit.SECONDS)).isTrue();
      } finally {
        server.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
