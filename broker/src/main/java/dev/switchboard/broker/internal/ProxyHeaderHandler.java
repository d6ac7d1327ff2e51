package dev.switchboard.broker.internal;

import dev.switchboard.config.Cidr;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol gate in front of TLS. A peer in {@code trustedProxies} (a load balancer) must
 * start with a PROXY v2 header; the client's real address it carries is recorded on the channel and
 * the handler steps out. Any other peer is a client connecting directly: it keeps its own address,
 * and if it sends a PROXY header (v1 or v2) to forge one, the connection is refused.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyHeaderHandler.class);
  private static final String DECODER = "proxy-decoder";

  private final Predicate<SocketAddress> trusted;
  private final BrokerMetrics metrics;
  private boolean seen;

  /** {@code trusted}: whether a peer is one of the load balancers allowed to send a header. */
  ProxyHeaderHandler(Predicate<SocketAddress> trusted, BrokerMetrics metrics) {
    this.trusted = trusted;
    this.metrics = metrics;
  }

  /** Trusts peers whose address lies in one of {@code blocks}. */
  static Predicate<SocketAddress> within(List<Cidr> blocks) {
    return a ->
        a instanceof InetSocketAddress i
            && i.getAddress() != null
            && blocks.stream().anyMatch(c -> c.contains(i.getAddress()));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HAProxyMessage h) {
      try {
        if (seen) {
          return; // only the first header counts; see below
        }
        seen = true;
        if (h.protocolVersion() != HAProxyProtocolVersion.V2) {
          refuse(ctx, "a PROXY v1 header (only v2 is accepted)");
          return;
        }
        if (h.sourceAddress() != null) {
          ctx.channel()
              .attr(ProxiedSource.KEY)
              .set(new InetSocketAddress(h.sourceAddress(), h.sourcePort()));
        }
      } finally {
        h.release();
        // Step out once Netty's decoder has (it leaves after its message), not before: while it
        // is there it may still decode more while the connection closes (ProxyHeaderFuzzTest).
        if (ctx.pipeline().get(DECODER) == null && ctx.pipeline().context(this) != null) {
          ctx.pipeline().remove(this);
        }
      }
      return;
    }
    if (seen) {
      // The header was read; what follows is the TLS stream.
      if (ctx.pipeline().get(DECODER) == null) {
        ctx.pipeline().remove(this);
      }
      ctx.fireChannelRead(msg);
      return;
    }
    if (msg instanceof ByteBuf b && ctx.pipeline().get(DECODER) == null && b.isReadable()) {
      byte first = b.getByte(b.readerIndex());
      if (fromTrustedProxy(ctx)) {
        // A load balancer: its connection must open with the v2 signature (0x0D ...).
        if (first != 0x0D) {
          ReferenceCountUtil.release(msg);
          refuse(ctx, "a trusted proxy that did not start with a PROXY v2 header");
          return;
        }
        ctx.pipeline().addBefore(ctx.name(), DECODER, new HAProxyMessageDecoder());
        ctx.pipeline().fireChannelRead(msg); // through the decoder, back to us as a message
        return;
      }
      // A direct client: TLS starts with a handshake record (0x16). A PROXY header starts with
      // 0x0D (v2 signature) or 'P' (v1 "PROXY "): someone trying to choose its own address.
      if (first == 0x0D || first == 'P') {
        ReferenceCountUtil.release(msg);
        refuse(ctx, "a PROXY header from a peer that is not a trusted proxy");
        return;
      }
      ctx.pipeline().remove(this);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ctx.pipeline().get(DECODER) != null) {
      // The trusted proxy's bytes were not a PROXY header: it must always send one.
      refuse(ctx, "no valid PROXY v2 header from a trusted proxy (" + cause.getMessage() + ")");
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private boolean fromTrustedProxy(ChannelHandlerContext ctx) {
    return trusted.test(ctx.channel().remoteAddress());
  }

  private void refuse(ChannelHandlerContext ctx, String what) {
    metrics.proxyHeaderRefused();
    log.debug("refused {}: {}", ctx.channel().remoteAddress(), what);
    ctx.close();
  }
}
