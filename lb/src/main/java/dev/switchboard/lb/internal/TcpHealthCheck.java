package dev.switchboard.lb.internal;

import dev.switchboard.lb.ProbeConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Healthy when a TCP connect to the backend succeeds within the probe timeout. */
final class TcpHealthCheck implements HealthCheck {
  private final EventLoopGroup group;
  private final Transport transport;

  TcpHealthCheck(EventLoopGroup group, Transport transport) {
    this.group = group;
    this.transport = transport;
  }

  @Override
  public CompletionStage<Boolean> check(InetSocketAddress target, ProbeConfig probe) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    new Bootstrap()
        .group(group)
        .channel(transport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, probe.timeout().toMillis()))
        .option(ChannelOption.SO_LINGER, 0)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(target)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  result.complete(f.isSuccess());
                  if (f.isSuccess()) {
                    f.channel().close();
                  }
                });
    return result;
  }
}
