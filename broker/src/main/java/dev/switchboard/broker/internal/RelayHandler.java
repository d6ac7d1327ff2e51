package dev.switchboard.broker.internal;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.RelayScanner;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays one direction of a session: bytes read from this side are forwarded verbatim to the peer.
 * Backpressure: this side reads ({@code AUTO_READ} on) while the peer's outbound buffer is below
 * its high-water mark, stops when it goes above, and resumes when the peer drains below its
 * low-water mark, so memory per session stays bounded. Toggling read interest only on those
 * crossings, not around every read, spares an {@code epoll_ctl} per read.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final RelaySession session;
  private final String side;
  private final BrokerMetrics metrics;
  private final RelayScanner scanner = new RelayScanner();
  private RelayHandler peerHandler;
  private Channel peer;
  private volatile ChannelHandlerContext ctx;
  private volatile boolean started;
  // Written by this side's event loop only, read by whichever thread ends the session.
  private volatile long dataBytes;
  // A broker frame waiting for this side's stream to reach a frame boundary; event loop only.
  private Message injected;

  RelayHandler(RelaySession session, String side, BrokerMetrics metrics) {
    this.session = session;
    this.side = side;
    this.metrics = metrics;
  }

  void peer(RelayHandler handler, Channel channel) {
    this.peerHandler = handler;
    this.peer = channel;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  void startReading() {
    started = true;
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (session.ended()) {
      buf.release();
      return;
    }
    RelayScanner.Event event;
    try {
      event = scanner.scan(buf);
    } catch (ProtocolException e) {
      buf.release();
      session.endBoth(e.code(), side + " sent a malformed relay frame: " + e.getMessage());
      return;
    }
    dataBytes = scanner.dataBytes();
    buf.skipBytes(scanner.leadingPingBytes());
    if (!buf.isReadable()) {
      buf.release(); // only a keepalive PING that crossed the start of relaying
      return;
    }
    metrics.bytesRelayed.inc(buf.readableBytes());
    peer.write(buf);
    if (injected != null && scanner.atBoundary()) {
      peer.write(injected);
      injected = null;
    }
    if (event == RelayScanner.Event.EOF) {
      peer.flush();
    } else if (event == RelayScanner.Event.CLOSE) {
      peer.flush();
      ErrorCode reason = scanner.closeReason();
      if (reason == ErrorCode.SESSION_COMPLETE) {
        session.end(reason, "both sides finished sending");
      } else {
        // Its CLOSE went to the peer; the audit keeps the side's own reason when it gave one.
        boolean own =
            reason != null
                && reason != ErrorCode.SESSION_SUSPENDED
                && reason != ErrorCode.BROKER_SHUTDOWN;
        session.end(own ? reason : ErrorCode.PEER_CLOSED, side + " closed the session");
      }
    }
  }

  /**
   * Puts a broker frame (a fresh credential for the peer) into the stream this side's bytes go to,
   * at the next frame boundary of this side's stream so no frame of it is split.
   */
  void inject(Message frame) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    c.executor()
        .execute(
            () -> {
              if (scanner.atBoundary()) {
                peer.writeAndFlush(frame);
              } else {
                injected = frame; // written after the read that completes the frame
              }
            });
  }

  /** Application bytes (DATA payloads) read from this side so far. */
  long dataBytes() {
    return dataBytes;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false); // the peer's channelWritabilityChanged resumes us
      if (peer.isWritable()) {
        // The peer runs on another event loop and may have drained in between; its
        // writability event could then have come before we stopped, and nothing would resume us.
        ctx.channel().config().setAutoRead(true);
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peerHandler.resume();
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void resume() {
    ChannelHandlerContext c = ctx;
    if (c != null && started) {
      c.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    channelLost();
  }

  void channelLost() {
    session.suspend("the " + side + "'s connection was lost");
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      session.endBoth(ErrorCode.IDLE_TIMEOUT, "no traffic for the idle timeout");
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    session.suspend("the " + side + "'s connection failed: " + cause.getMessage());
  }
}
