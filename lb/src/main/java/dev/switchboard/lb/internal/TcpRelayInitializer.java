package dev.switchboard.lb.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Assembles an accepted connection's pipeline: flow idle timer, then the frontend handler. */
final class TcpRelayInitializer extends ChannelInitializer<Channel> {
  private final RuleRuntime rule;
  private final Transport transport;

  TcpRelayInitializer(RuleRuntime rule, Transport transport) {
    this.rule = rule;
    this.transport = transport;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (!transport.epoll()) {
      // On epoll the relay reads idleness from TCP_INFO instead (see SpliceRelay.watchIdle).
      long idleMs = rule.view().rule.idleTimeout().toMillis();
      ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
    }
    ch.pipeline().addLast("frontend", new TcpFrontendHandler(rule, transport));
  }
}
