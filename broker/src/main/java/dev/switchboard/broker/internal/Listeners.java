package dev.switchboard.broker.internal;

import dev.switchboard.protocol.HostPort;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import java.net.BindException;

/** Binds a broker listener so that a failure names the listener and its address. */
public final class Listeners {
  private Listeners() {}

  /**
   * Binds and waits.
   *
   * @throws BindException "client listener 127.0.0.1:7443: Address already in use"
   */
  public static Channel bind(String listener, HostPort at, AbstractBootstrap<?, ?> b)
      throws BindException, InterruptedException {
    try {
      return b.bind(at.toSocketAddress()).sync().channel();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) { // sync() rethrows the cause: BindException, or epoll's own IOException
      BindException be = new BindException(listener + " listener " + at + ": " + e.getMessage());
      be.initCause(e);
      throw be;
    }
  }
}
