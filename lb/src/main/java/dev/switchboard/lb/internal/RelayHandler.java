package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.IOException;

/**
 * Copies bytes from its channel to {@code peer} with backpressure: reading stays on while the
 * peer's outbound buffer is under its high-water mark and stops ({@code AUTO_READ} off) when it
 * goes over, until the peer drains below the low-water mark. So a steady exchange never touches
 * {@code epoll_ctl}, and memory per direction is bounded by the high-water mark plus one read
 * burst. On epoll with splicing turned on ({@link SpliceRelay#possible}), a direction whose single
 * read burst fills {@link SpliceRelay#BULK_BURST} bytes (a bulk transfer, not request/response
 * traffic) switches to zero-copy splice.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final Channel peer;
  private final CounterDataPoint ruleBytes;
  private final CounterDataPoint backendBytes;
  private final IdleSweep.Entry idle;
  private long burst;
  private boolean spliced;

  RelayHandler(
      Channel peer,
      CounterDataPoint ruleBytes,
      CounterDataPoint backendBytes,
      IdleSweep.Entry idle) {
    this.peer = peer;
    this.ruleBytes = ruleBytes;
    this.backendBytes = backendBytes;
    this.idle = idle;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    int n = ((ByteBuf) msg).readableBytes();
    burst += n;
    idle.touch();
    ruleBytes.inc(n);
    backendBytes.inc(n);
    // A failed write surfaces as exceptionCaught on the peer, which ends both sides.
    peer.write(msg, peer.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    long bytes = burst;
    burst = 0;
    if (bytes == 0) {
      return;
    }
    peer.flush();
    Channel ch = ctx.channel();
    if (bytes >= SpliceRelay.BULK_BURST && nothingPending(peer) && SpliceRelay.possible(ch, peer)) {
      // Nothing is pending toward the peer, so spliced bytes cannot overtake copied ones.
      spliced = true;
      idle.spliced();
      SpliceRelay.start(ch, peer);
    } else if (!peer.isWritable()) {
      ch.config().setAutoRead(false); // the peer's channelWritabilityChanged turns it back on
      if (peer.isWritable()) {
        readOn(ch); // drained in between (a peer on another event loop): do not wait forever
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This channel drained below its low-water mark: the peer may read (and write to us) again.
    if (ctx.channel().isWritable()) {
      readOn(peer);
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * Turns reading on unless the channel is closed or its input already ended (Netty's epoll
   * transport fails {@code epoll_ctl} on a socket whose input it has shut down).
   */
  static void readOn(Channel ch) {
    if (ch.isActive() && !(ch instanceof DuplexChannel d && d.isInputShutdown())) {
      ch.config().setAutoRead(true);
    }
  }

  private static boolean nothingPending(Channel ch) {
    ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
    return out == null || out.isEmpty();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeOnFlush(peer);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      halfClose(ctx.channel());
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // An aborted side (RST) aborts the other too, as a router would; this also spares the
    // balancer a TIME_WAIT per connection toward the backend.
    if (cause instanceof IOException) {
      Relay.reset(peer);
    }
    ctx.close();
  }

  /**
   * This side sent FIN: pass it on as FIN toward the peer once everything already forwarded is
   * written, and keep the other direction open (a client may half-close after its request and still
   * read the reply). When both directions have finished, close both. The empty write queues behind
   * everything pending toward the peer, spliced chunks included, so the FIN follows the last byte.
   */
  private void halfClose(Channel from) {
    if (spliced) {
      // Netty's splice loop reports end of input as soon as the FIN is seen, even with bytes still
      // queued in the socket; they are read here and go out ahead of the FIN.
      SpliceRelay.drainQueuedInput(from, peer);
    }
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!(peer instanceof DuplexChannel d) || !peer.isActive()) {
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
