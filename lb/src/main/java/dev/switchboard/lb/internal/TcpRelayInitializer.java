package dev.switchboard.lb.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Assembles an accepted connection's pipeline on NIO: flow idle timer, then the frontend handler.
 */
final class TcpRelayInitializer extends ChannelInitializer<Channel> {
  private final RuleRuntime rule;
  private final TcpFrontendHandler frontend;

  private TcpRelayInitializer(RuleRuntime rule, TcpFrontendHandler frontend) {
    this.rule = rule;
    this.frontend = frontend;
  }

  /**
   * The child handler of a rule's TCP server channel: on epoll the shared frontend handler itself
   * (the relay reads idleness from TCP_INFO, see SpliceRelay.watchIdle, so there is nothing per
   * connection to assemble); elsewhere an initializer that puts an idle timer in front of it.
   */
  static ChannelHandler childHandler(RuleRuntime rule, Transport transport) {
    TcpFrontendHandler frontend = new TcpFrontendHandler(rule, transport);
    return transport.epoll() ? frontend : new TcpRelayInitializer(rule, frontend);
  }

  @Override
  protected void initChannel(Channel ch) {
    long idleMs = rule.view().rule.idleTimeout().toMillis();
    ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
    ch.pipeline().addLast("frontend", frontend);
  }
}
