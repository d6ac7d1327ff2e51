package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a relayed connection whose client bytes begin with a PROXY header (v1 {@code PROXY} or the
 * v2 signature): a client naming its own address. Anything else passes untouched and the screen
 * steps out; it holds at most the 11 bytes that cannot be told apart from a signature yet.
 */
final class ProxyScreen extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ProxyScreen.class);
  static final String NAME = "proxy-screen";
  // What Netty's decoder takes for v1 ("PROXY"), and the whole v2 signature.
  private static final byte[] V1 = "PROXY".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] V2 = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  private enum Verdict {
    FORGED,
    UNDECIDED,
    CLEAN
  }

  private final CounterDataPoint forged;
  private ByteBuf held;

  ProxyScreen(CounterDataPoint forged) {
    this.forged = forged;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    if (held != null) {
      ByteBuf all = ctx.alloc().buffer(held.readableBytes() + b.readableBytes());
      all.writeBytes(held).writeBytes(b);
      held.release();
      b.release();
      held = null;
      b = all;
    }
    switch (verdict(b)) {
      case FORGED -> {
        b.release();
        forged.inc();
        log.debug("closed {}: it sent a PROXY header", ctx.channel().remoteAddress());
        ctx.close();
      }
      case UNDECIDED -> held = b;
      case CLEAN -> {
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(b);
      }
    }
  }

  /** A FIN after a few bytes that only looked like a signature: they are payload after all. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && held != null) {
      ByteBuf b = held;
      held = null;
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(b);
      ctx.fireChannelReadComplete();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  private static Verdict verdict(ByteBuf b) {
    int n = b.readableBytes();
    boolean v1 = prefixOf(b, V1);
    boolean v2 = prefixOf(b, V2);
    if ((v1 && n >= V1.length) || (v2 && n >= V2.length)) {
      return Verdict.FORGED;
    }
    return v1 || v2 ? Verdict.UNDECIDED : Verdict.CLEAN;
  }

  /** True if the readable bytes and {@code sig} agree as far as both go. */
  private static boolean prefixOf(ByteBuf b, byte[] sig) {
    int n = Math.min(b.readableBytes(), sig.length);
    for (int i = 0; i < n; i++) {
      if (b.getByte(b.readerIndex() + i) != sig[i]) {
        return false;
      }
    }
    return true;
  }
}
