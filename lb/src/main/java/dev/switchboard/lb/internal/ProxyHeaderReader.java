package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY v2 header a trusted proxy must open its connection with, before the balancer
 * picks a backend; then fires {@link Proxied} with the client's addresses and steps out. A
 * connection without one (within {@code timeout}), with a v1 header or a malformed one is closed.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyHeaderReader.class);
  static final String NAME = "proxy-in";
  private static final String DECODER = "proxy-decoder";
  // Our own headers carry no TLVs; other proxies add a few (an AWS VPC endpoint id, a unique id).
  private static final int MAX_TLV = 1024;

  /** The client's address and the address it dialled, as the trusted proxy saw them. */
  record Proxied(InetSocketAddress client, InetSocketAddress dialled) {}

  private final Duration timeout;
  private final CounterDataPoint invalid;
  private ScheduledFuture<?> deadline;
  private boolean decoding;
  private boolean done;

  ProxyHeaderReader(Duration timeout, CounterDataPoint invalid) {
    this.timeout = timeout;
    this.invalid = invalid;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline =
        ctx.executor()
            .schedule(
                () -> refuse(ctx, "no PROXY header within " + timeout.toMillis() + " ms"),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    deadline.cancel(false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done) {
      ctx.fireChannelRead(msg); // client bytes that came with the header
      return;
    }
    if (msg instanceof HAProxyMessage h) {
      try {
        accept(ctx, h);
      } finally {
        h.release();
      }
      return;
    }
    if (!decoding) {
      ByteBuf b = (ByteBuf) msg;
      if (!b.isReadable()) {
        b.release();
        return;
      }
      if (b.getByte(b.readerIndex()) != 0x0D) { // the v2 signature's first byte; v1 is 'P'
        b.release();
        refuse(ctx, "did not start with a PROXY v2 header");
        return;
      }
      decoding = true;
      ctx.pipeline().addBefore(ctx.name(), DECODER, new HAProxyMessageDecoder(MAX_TLV));
      ctx.pipeline().fireChannelRead(msg); // through the decoder, back here as a message
      return;
    }
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!done && ctx.channel().isActive()) {
      ctx.read(); // AUTO_READ is off until the backend is connected; the header is not whole yet
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!done) {
      refuse(ctx, "not a valid PROXY v2 header (" + cause.getMessage() + ")");
      return;
    }
    if (!ctx.channel().isOpen()) {
      // Closing makes Netty's decoder decode what is left of a refused header once more; that
      // second failure is about a connection already closed, not worth a warning per attempt.
      log(ctx, "after closing: " + cause.getMessage());
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private void accept(ChannelHandlerContext ctx, HAProxyMessage h) {
    if (h.protocolVersion() != HAProxyProtocolVersion.V2) {
      refuse(ctx, "a PROXY v1 header (only v2 is accepted)");
      return;
    }
    done = true;
    deadline.cancel(false);
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    InetSocketAddress dialled = (InetSocketAddress) ctx.channel().localAddress();
    HAProxyProxiedProtocol p = h.proxiedProtocol();
    // LOCAL is the proxy's own connection (a health check), and a family without IP addresses
    // names no client: both keep the connection's own addresses, as the spec says.
    if (h.command() == HAProxyCommand.PROXY
        && (p == HAProxyProxiedProtocol.TCP4 || p == HAProxyProxiedProtocol.TCP6)) {
      client = address(h.sourceAddress(), h.sourcePort());
      dialled = address(h.destinationAddress(), h.destinationPort());
    }
    ctx.fireUserEventTriggered(new Proxied(client, dialled));
    // Step out once the decoder has (it leaves after its one message, handing on what follows).
    ctx.executor()
        .execute(
            () -> {
              if (ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
              }
            });
  }

  private static InetSocketAddress address(String ip, int port) {
    InetAddress a = NetUtil.createInetAddressFromIpAddressString(ip);
    return new InetSocketAddress(a, port);
  }

  private void refuse(ChannelHandlerContext ctx, String why) {
    if (done || !ctx.channel().isOpen()) {
      return;
    }
    done = true;
    invalid.inc();
    log(ctx, why);
    ctx.close();
  }

  private static void log(ChannelHandlerContext ctx, String why) {
    log.debug("closed {} from a trusted proxy: {}", ctx.channel().remoteAddress(), why);
  }
}
