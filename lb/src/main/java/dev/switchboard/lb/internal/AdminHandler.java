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
import java.nio.charset.StandardCharsets;

/** Hands each admin request to the {@link AdminRouter} and writes its answer when ready. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final AdminRouter router;

  AdminHandler(AdminRouter router) {
    this.router = router;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String path = new QueryStringDecoder(req.uri()).path();
    String body = req.content().toString(StandardCharsets.UTF_8);
    router
        .handle(req.method().name(), path, body)
        .whenComplete(
            (r, err) -> {
              AdminResponse res =
                  r != null
                      ? r
                      : AdminResponse.error(LbException.Code.INTERNAL, String.valueOf(err));
              FullHttpResponse out =
                  new DefaultFullHttpResponse(
                      req.protocolVersion(),
                      HttpResponseStatus.valueOf(res.status()),
                      Unpooled.copiedBuffer(res.body(), StandardCharsets.UTF_8));
              out.headers().set(HttpHeaderNames.CONTENT_TYPE, res.contentType());
              HttpUtil.setContentLength(out, out.content().readableBytes());
              HttpUtil.setKeepAlive(out, keepAlive);
              var f = ctx.writeAndFlush(out);
              if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
              }
            });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
