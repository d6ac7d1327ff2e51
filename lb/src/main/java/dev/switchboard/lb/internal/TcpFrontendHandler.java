package dev.switchboard.lb.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Per accepted connection: picks a backend, connects (retrying other backends on failure), then
 * hands both channels to {@link RelayHandler}s; refuses with RST when no backend is left.
 */
final class TcpFrontendHandler extends ChannelInboundHandlerAdapter {
  private final RuleRuntime rule;
  private final Transport transport;
  private final Set<RuleBackend> failed = new HashSet<>();

  TcpFrontendHandler(RuleRuntime rule, Transport transport) {
    this.rule = rule;
    this.transport = transport;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel in = ctx.channel();
    rule.counters.connections.increment();
    rule.counters.active.increment();
    in.closeFuture().addListener(f -> rule.counters.active.decrement());
    RuleView view = rule.view();
    long hash = FlowKey.hash(view.rule.distribution(), (InetSocketAddress) in.remoteAddress(),
        (InetSocketAddress) in.localAddress(), false);
    connect(ctx, view, hash, 0);
  }

  private void connect(ChannelHandlerContext ctx, RuleView view, long hash, int attempt) {
    Channel in = ctx.channel();
    RuleBackend target =
        attempt < view.rule.connectAttempts() ? view.selector.select(hash, attempt, failed) : null;
    if (target == null) {
      rule.counters.refused.increment();
      Relay.reset(in);
      return;
    }
    ChannelFuture cf =
        new Bootstrap()
            .group(in.eventLoop())
            .channel(transport.socketChannel())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.max(1, view.rule.connectTimeout().toMillis()))
            .handler(new ChannelInboundHandlerAdapter())
            .connect(target.address);
    cf.addListener(
        (ChannelFutureListener)
            f -> {
              if (!in.isActive()) {
                f.channel().close();
              } else if (f.isSuccess()) {
                established(ctx, f.channel(), target, view);
              } else {
                target.counters.connectFailures.increment();
                failed.add(target);
                connect(ctx, view, hash, attempt + 1);
              }
            });
  }

  private void established(ChannelHandlerContext ctx, Channel out, RuleBackend target, RuleView view) {
    Channel in = ctx.channel();
    Relay relay = new Relay(in, out);
    target.counters.connections.increment();
    target.counters.active.increment();
    target.relays.add(relay);
    in.closeFuture().addListener(f -> {
      target.relays.remove(relay);
      target.counters.active.decrement();
    });
    boolean tcpReset = view.rule.tcpReset();
    Runnable onIdle = tcpReset ? relay::reset : relay::close;
    out.pipeline().removeFirst();
    out.pipeline().addLast(new RelayHandler(in, rule.counters.bytesOut, target.counters.bytesOut, null));
    ctx.pipeline().replace(this, "relay",
        new RelayHandler(out, rule.counters.bytesIn, target.counters.bytesIn, onIdle));
    if (in instanceof io.netty.channel.epoll.EpollSocketChannel) {
      // No IdleStateHandler on epoll (see TcpRelayInitializer): spliced bytes bypass it.
      SpliceRelay.watchIdle((io.netty.channel.epoll.EpollSocketChannel) in, view.rule.idleTimeout(),
          onIdle);
    }
    if (view.rule.proxyProtocol()) {
      out.writeAndFlush(Unpooled.wrappedBuffer(ProxyV2.header(
          (InetSocketAddress) in.remoteAddress(), (InetSocketAddress) in.localAddress(), false)));
    }
    in.read();
    out.read();
  }
}
