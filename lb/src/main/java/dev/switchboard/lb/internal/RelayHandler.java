package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies bytes from its channel to {@code peer} with backpressure: the next read is issued only
 * after the last write of the previous batch completed (Netty's HexDumpProxy pattern); on epoll a
 * direction that has copied {@link SpliceRelay#THRESHOLD} bytes switches to zero-copy splice.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final Channel peer;
  private final LongAdder ruleBytes;
  private final LongAdder backendBytes;
  private final Runnable onIdle;
  private ChannelFuture lastWrite;
  private long copied;

  RelayHandler(Channel peer, LongAdder ruleBytes, LongAdder backendBytes, Runnable onIdle) {
    this.peer = peer;
    this.ruleBytes = ruleBytes;
    this.backendBytes = backendBytes;
    this.onIdle = onIdle;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    int n = ((ByteBuf) msg).readableBytes();
    copied += n;
    ruleBytes.add(n);
    backendBytes.add(n);
    lastWrite = peer.write(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ChannelFuture f = lastWrite;
    lastWrite = null;
    if (f == null) {
      if (ctx.channel().isActive()) {
        ctx.read();
      }
      return;
    }
    peer.flush();
    f.addListener(
        (ChannelFutureListener)
            w -> {
              if (!w.isSuccess()) {
                ctx.channel().close();
              } else if (copied >= SpliceRelay.THRESHOLD && SpliceRelay.possible(ctx.channel(), peer)) {
                // Nothing is pending toward the peer, so spliced bytes cannot overtake copied ones.
                copied = Long.MIN_VALUE;
                SpliceRelay.start(ctx.channel(), peer);
              } else {
                ctx.channel().read();
              }
            });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeOnFlush(peer);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
      halfClose(ctx.channel());
    } else if (evt instanceof IdleStateEvent && onIdle != null) {
      onIdle.run();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // An aborted side (RST) aborts the other too, as a router would; this also spares the
    // balancer a TIME_WAIT per connection toward the backend.
    if (cause instanceof java.io.IOException) {
      Relay.reset(peer);
    }
    ctx.close();
  }

  /**
   * This side sent FIN: pass it on as FIN toward the peer once everything already forwarded is
   * written, and keep the other direction open (a client may half-close after its request and
   * still read the reply). When both directions have finished, close both. The empty write
   * queues behind everything pending toward the peer, spliced chunks included, so the FIN
   * follows the last byte.
   */
  private void halfClose(Channel from) {
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      if (!(peer instanceof io.netty.channel.socket.DuplexChannel d) || !peer.isActive()) {
        from.close();
        return;
      }
      if (d.isInputShutdown()) {
        peer.close();
        from.close();
      } else {
        d.shutdownOutput();
      }
    });
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
