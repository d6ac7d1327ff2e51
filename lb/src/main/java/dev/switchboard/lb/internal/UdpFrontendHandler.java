package dev.switchboard.lb.internal;

import dev.switchboard.time.Scheduler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The UDP data path of one rule: a flow table keyed by client address and port, one connected
 * upstream socket per flow, idle expiry, a flow cap per rule and per source address, and re-pinning
 * off backends no longer eligible.
 */
final class UdpFrontendHandler extends ChannelInboundHandlerAdapter {
  private final RuleRuntime rule;
  private final Transport transport;
  private final Scheduler clock;
  // Only touched on this channel's event loop, so plain collections suffice.
  private final Map<InetSocketAddress, UdpFlow> flows = new HashMap<>();
  private final List<UdpFlow> touched = new ArrayList<>();
  private Channel channel;

  UdpFrontendHandler(RuleRuntime rule, Transport transport, Scheduler clock) {
    this.rule = rule;
    this.transport = transport;
    this.clock = clock;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    scheduleSweep();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    DatagramPacket p = (DatagramPacket) msg;
    RuleView view = rule.view();
    long now = clock.nanoTime();
    UdpFlow flow = flows.get(p.sender());
    if (flow != null && !view.isEligible(flow.backend)) {
      remove(flow);
      flow = null;
    }
    if (flow == null) {
      flow = open(view, p.sender(), (InetSocketAddress) ctx.channel().localAddress(), now);
      if (flow == null) {
        rule.counters.udpDropped.inc();
        p.release();
        return;
      }
    }
    flow.lastActiveNanos = now;
    rule.counters.bytesIn.inc(p.content().readableBytes());
    flow.backend.counters.bytesIn.inc(p.content().readableBytes());
    flow.send(p.content());
    touched.add(flow);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    for (UdpFlow f : touched) {
      f.flushIfDirty();
    }
    touched.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (UdpFlow f : new ArrayList<>(flows.values())) {
      remove(f);
    }
  }

  private UdpFlow open(RuleView view, InetSocketAddress client, InetSocketAddress local, long now) {
    // The cap is per rule, shared by the rule's sockets (one per event loop).
    if (rule.counters.udpFlowsActive.get() >= view.rule.maxUdpFlows()) {
      rule.counters.udpFlowsRefusedTable.inc();
      return null;
    }
    long hash = FlowKey.hash(view.rule.distribution(), client, local, true);
    RuleBackend target = view.selector.select(hash, 0, Set.of());
    if (target == null) {
      return null;
    }
    if (!rule.sourceFlows.tryAcquire(client.getAddress(), view.rule.maxUdpFlowsPerSource())) {
      rule.counters.udpFlowsRefusedSource.inc();
      return null;
    }
    byte[] header = view.rule.proxyProtocol() ? ProxyV2.header(client, local, true) : null;
    UdpFlow flow = new UdpFlow(client, target, header, now);
    flows.put(client, flow);
    rule.counters.udpFlows.inc();
    rule.counters.udpFlowsActive.inc();
    target.counters.udpFlows.inc();
    Bootstrap b =
        new Bootstrap()
            .group(channel.eventLoop())
            .channel(transport.datagramChannel())
            .option(ChannelOption.SO_RCVBUF, 256 * 1024)
            .handler(new UdpUpstreamHandler(channel, flow, rule.counters, clock));
    transport.batchDatagramReads(b);
    // From the rule's source address, or else the frontend's.
    InetSocketAddress from =
        view.source != null ? view.source : new InetSocketAddress(local.getAddress(), 0);
    b.connect(target.address, from).addListener((ChannelFutureListener) flow::attach);
    return flow;
  }

  private void remove(UdpFlow flow) {
    if (flows.remove(flow.client, flow)) {
      forget(flow);
    }
    flow.close();
  }

  private void forget(UdpFlow flow) {
    rule.counters.udpFlowsActive.dec();
    rule.sourceFlows.release(flow.client.getAddress());
  }

  private void scheduleSweep() {
    Duration idle = rule.view().rule.idleTimeout();
    long period = Math.max(50, Math.min(1000, idle.toMillis() / 4));
    channel.eventLoop().schedule(this::sweep, period, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    if (!channel.isOpen()) {
      return;
    }
    long now = clock.nanoTime();
    long idle = rule.view().rule.idleTimeout().toNanos();
    for (Iterator<UdpFlow> it = flows.values().iterator(); it.hasNext(); ) {
      UdpFlow f = it.next();
      if (now - f.lastActiveNanos >= idle) {
        it.remove();
        forget(f);
        f.close();
      }
    }
    scheduleSweep();
  }
}
