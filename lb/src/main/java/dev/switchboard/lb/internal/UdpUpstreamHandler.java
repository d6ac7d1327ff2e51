package dev.switchboard.lb.internal;

import dev.switchboard.time.Scheduler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/** Sends a backend's replies on a flow's upstream socket back to that flow's client. */
final class UdpUpstreamHandler extends ChannelInboundHandlerAdapter {
  private final Channel frontend;
  private final UdpFlow flow;
  private final RuleCounters ruleCounters;
  private final Scheduler clock;

  UdpUpstreamHandler(Channel frontend, UdpFlow flow, RuleCounters ruleCounters, Scheduler clock) {
    this.frontend = frontend;
    this.flow = flow;
    this.ruleCounters = ruleCounters;
    this.clock = clock;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    DatagramPacket p = (DatagramPacket) msg;
    int n = p.content().readableBytes();
    ruleCounters.bytesOut.inc(n);
    flow.backend.counters.bytesOut.inc(n);
    flow.backend.counters.datagramsOut.inc();
    flow.lastActiveNanos = clock.nanoTime();
    frontend.write(new DatagramPacket(p.content(), flow.client));
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    frontend.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // ICMP port unreachable and the like: the flow stays until idle or moved.
  }
}
