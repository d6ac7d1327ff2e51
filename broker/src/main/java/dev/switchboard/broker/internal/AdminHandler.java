package dev.switchboard.broker.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /healthz} (200 serving, 503 draining) and {@code GET /metrics} (Prometheus
 * text).
 */
@Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final BrokerCore core;
  private final Supplier<String> status;

  public AdminHandler(BrokerCore core, Supplier<String> status) {
    this.core = core;
    this.status = status;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = req.uri().split("\\?", 2)[0];
    FullHttpResponse res;
    if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
      res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported\n", "text/plain");
    } else if (path.equals("/healthz")) {
      res =
          core.draining.get()
              ? text(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining\n", "text/plain")
              : text(HttpResponseStatus.OK, "ok\n", "text/plain");
    } else if (path.equals("/metrics")) {
      res = text(HttpResponseStatus.OK, core.metrics.render(), BrokerMetrics.contentType());
    } else if (path.equals("/status")) {
      res = text(HttpResponseStatus.OK, status.get(), "application/json");
    } else {
      res =
          text(
              HttpResponseStatus.NOT_FOUND,
              "not found; try /healthz, /metrics or /status\n",
              "text/plain");
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(res, keepAlive);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
