package dev.switchboard.client;

import java.net.InetSocketAddress;

/** Turns a broker hostname from a redirect into the address to dial. */
@FunctionalInterface
public interface Resolver {
  InetSocketAddress resolve(String hostname, int port);

  /** The system resolver (DNS, /etc/hosts). */
  Resolver SYSTEM = (host, port) -> new InetSocketAddress(host, port);
}
