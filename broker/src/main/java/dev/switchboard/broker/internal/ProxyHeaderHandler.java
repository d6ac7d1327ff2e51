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
  private boolean seen;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline().addBefore(ctx.name(), "proxy-decoder", new HAProxyMessageDecoder());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HAProxyMessage h) {
      try {
        // Only the first: after a malformed line Netty's decoder closes the connection and may
        // decode the lines after it while closing (found by ProxyHeaderFuzzTest).
        if (!seen && h.sourceAddress() != null) {
          ctx.channel()
              .attr(ProxiedSource.KEY)
              .set(new InetSocketAddress(h.sourceAddress(), h.sourcePort()));
        }
      } finally {
        h.release();
      }
      seen = true;
    } else {
      ctx.fireChannelRead(msg);
    }
    // Step out once the decoder has (it removes itself after its message), not before, so that no
    // further message of it passes unreleased.
    if (seen && ctx.pipeline().get(HAProxyMessageDecoder.class) == null) {
      ctx.pipeline().remove(this);
    }
  }
}
