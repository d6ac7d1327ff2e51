package dev.switchboard.lb.internal;

import dev.switchboard.lb.ProbeConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Healthy when {@code GET path} answers status 200 within the probe timeout. */
final class HttpHealthCheck implements HealthCheck {
  private final EventLoopGroup group;
  private final Transport transport;

  HttpHealthCheck(EventLoopGroup group, Transport transport) {
    this.group = group;
    this.transport = transport;
  }

  @Override
  public CompletionStage<Boolean> check(InetSocketAddress target, ProbeConfig probe) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long timeoutMs = Math.max(1, probe.timeout().toMillis());
    new Bootstrap()
        .group(group)
        .channel(transport.socketChannel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMs)
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new StatusHandler(result));
              }
            })
        .connect(target)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    result.complete(false);
                    return;
                  }
                  Channel ch = f.channel();
                  ch.eventLoop()
                      .schedule(
                          () -> {
                            result.complete(false);
                            ch.close();
                          },
                          timeoutMs,
                          TimeUnit.MILLISECONDS);
                  ch.closeFuture().addListener(c -> result.complete(false));
                  DefaultFullHttpRequest req =
                      new DefaultFullHttpRequest(
                          HttpVersion.HTTP_1_1, HttpMethod.GET, probe.path());
                  req.headers()
                      .set(HttpHeaderNames.HOST, target.getHostString() + ":" + target.getPort());
                  req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                  req.headers().set(HttpHeaderNames.USER_AGENT, "switchboard-lb-probe");
                  ch.writeAndFlush(req);
                });
    return result;
  }

  /** Completes the result from the status line of the first response and closes. */
  private static final class StatusHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final CompletableFuture<Boolean> result;

    StatusHandler(CompletableFuture<Boolean> result) {
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse) {
        result.complete(((HttpResponse) msg).status().code() == 200);
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(false);
      ctx.close();
    }
  }
}
