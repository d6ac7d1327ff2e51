package dev.switchboard.broker.internal;

import dev.switchboard.time.Scheduler;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;

/**
 * Closes an admin connection that has not sent a complete request within the deadline of its
 * opening or of the previous answer. Unlike a read timeout, a client trickling one byte at a time
 * gains nothing: only a whole request stops the clock, so it sits behind the aggregator. The same
 * clock tells the {@link AdminConnectionGuard} which connections wait for a request.
 */
final class AdminRequestDeadline extends ChannelDuplexHandler {
  private final Scheduler scheduler;
  private final Duration timeout;
  private final BrokerMetrics metrics;
  private final AdminConnectionGuard.Entry counted;
  private Scheduler.Cancellable timer;
  private long generation; // changed on the event loop only; a stale timer sees another value

  AdminRequestDeadline(
      Scheduler scheduler,
      Duration timeout,
      BrokerMetrics metrics,
      AdminConnectionGuard.Entry counted) {
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.metrics = metrics;
    this.counted = counted;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    disarm();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof FullHttpRequest) {
      disarm();
      counted.busy();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof LastHttpContent) {
      // The next request's clock starts when this answer is out, not while it is being written.
      promise.addListener(f -> arm(ctx));
    }
    super.write(ctx, msg, promise);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    if (!ctx.channel().isOpen()) {
      return;
    }
    counted.waiting();
    long mine = generation;
    timer =
        scheduler.schedule(
            () ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (generation == mine && ctx.channel().isOpen()) {
                            metrics.adminRequestTimeouts.inc();
                            ctx.close();
                          }
                        }),
            timeout);
  }

  private void disarm() {
    generation++;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
