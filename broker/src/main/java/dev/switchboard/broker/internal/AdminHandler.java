package dev.switchboard.broker.internal;

import dev.switchboard.config.BearerToken;
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
 * text) to anyone who reaches the admin address; {@code GET /status} and the live sessions ({@link
 * AdminSessions}) only with the admin bearer token.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final BrokerCore core;
  private final BearerToken token;
  private final Supplier<String> status;
  private final AdminSessions sessions;

  AdminHandler(BrokerCore core, BearerToken token, Supplier<String> status) {
    this.core = core;
    this.token = token;
    this.status = status;
    this.sessions = new AdminSessions(core);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) { // line or headers too long, or not HTTP at all
      ctx.writeAndFlush(text(HttpResponseStatus.BAD_REQUEST, "bad request\n", "text/plain"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    String path = req.uri().split("\\?", 2)[0];
    boolean probe = path.equals("/healthz") || path.equals("/metrics");
    FullHttpResponse res;
    if (!probe && !token.matchesHeader(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      // Every other path, known or not, answers alike without the token: nothing to map out.
      core.metrics.adminUnauthorized.inc();
      res =
          text(
              HttpResponseStatus.UNAUTHORIZED,
              "this endpoint needs the admin token: Authorization: Bearer TOKEN"
                  + " (see docs/operations.md)\n",
              "text/plain");
      res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"switchboard-admin\"");
    } else if (AdminSessions.handles(path)) {
      res = sessions.handle(req, path);
    } else if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
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
              "not found; try /healthz, /metrics, /status or /sessions\n",
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
