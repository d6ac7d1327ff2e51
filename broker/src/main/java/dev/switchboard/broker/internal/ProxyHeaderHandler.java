package dev.switchboard.broker.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.net.InetSocketAddress;

/**
 * Reads the PROXY protocol v2 header a load balancer in front of the broker prepends, records the
 * client's real address on the channel, then steps out of the pipeline.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline().addBefore(ctx.name(), "proxy-decoder", new HAProxyMessageDecoder());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HAProxyMessage h) {
      try {
        if (h.sourceAddress() != null) {
          ctx.channel()
              .attr(ProxiedSource.KEY)
              .set(new InetSocketAddress(h.sourceAddress(), h.sourcePort()));
        }
      } finally {
        h.release();
      }
      ctx.pipeline().remove(this);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
