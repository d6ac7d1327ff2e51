package dev.switchboard.lb.internal;

import dev.switchboard.lb.LbException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Hands each admin request to the {@link AdminRouter} and writes its answer when ready. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final AdminRouter router;
  private final AdminGuard guard;

  AdminHandler(AdminRouter router, AdminGuard guard) {
    this.router = router;
    this.guard = guard;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) { // line or headers too long, or not HTTP at all
      write(ctx, req, false, AdminResponse.error(LbException.Code.MALFORMED, "bad HTTP request"));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String path = new QueryStringDecoder(req.uri()).path();
    LbException refused =
        guard.refusal(req, path, (InetSocketAddress) ctx.channel().localAddress());
    if (refused != null) {
      write(ctx, req, keepAlive, AdminResponse.of(refused));
      return;
    }
    String body = req.content().toString(StandardCharsets.UTF_8);
    router
        .handle(req.method().name(), path, body)
        .whenComplete(
            (r, err) -> {
              AdminResponse res =
                  r != null
                      ? r
                      : AdminResponse.error(LbException.Code.INTERNAL, String.valueOf(err));
              write(ctx, req, keepAlive, res);
            });
  }

  private static void write(
      ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive, AdminResponse res) {
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            req.protocolVersion(),
            HttpResponseStatus.valueOf(res.status()),
            Unpooled.copiedBuffer(res.body(), StandardCharsets.UTF_8));
    out.headers().set(HttpHeaderNames.CONTENT_TYPE, res.contentType());
    if (res.status() == 401) {
      out.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"switchboard-lb-admin\"");
    }
    HttpUtil.setContentLength(out, out.content().readableBytes());
    HttpUtil.setKeepAlive(out, keepAlive);
    var f = ctx.writeAndFlush(out);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
