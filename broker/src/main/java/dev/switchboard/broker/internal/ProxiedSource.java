package dev.switchboard.broker.internal;

import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/** The client's real address when a load balancer in front sent a PROXY protocol header. */
final class ProxiedSource {
  static final AttributeKey<InetSocketAddress> KEY =
      AttributeKey.valueOf("switchboard.proxiedSource");

  private ProxiedSource() {}
}
