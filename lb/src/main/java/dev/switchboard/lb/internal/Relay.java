package dev.switchboard.lb.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** One relayed TCP connection: the client side, the backend side, and how to end both. */
final class Relay {
  final Channel frontend;
  final Channel backend;

  Relay(Channel frontend, Channel backend) {
    this.frontend = frontend;
    this.backend = backend;
  }

  void close() {
    frontend.close();
    backend.close();
  }

  /** Ends both sides with a TCP RST (SO_LINGER 0) so neither peer waits on a dead connection. */
  void reset() {
    reset(frontend);
    reset(backend);
  }

  static void reset(Channel ch) {
    if (ch.isOpen()) {
      try {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
      } catch (RuntimeException ignored) {
        // Already closing: a plain close is the best we can do.
      }
      ch.close();
    }
  }
}
