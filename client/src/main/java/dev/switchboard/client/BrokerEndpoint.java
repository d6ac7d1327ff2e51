package dev.switchboard.client;

import dev.switchboard.protocol.HostPort;
import java.net.InetSocketAddress;

/**
 * A broker as a client sees it: its id (may be unknown until HELLO), the hostname its certificate
 * must carry, and the address to dial (which may be a load balancer in front of it).
 */
public record BrokerEndpoint(String id, String hostname, InetSocketAddress address) {

  /** An endpoint from {@code HOST:PORT}; the host is both dialled and verified. */
  public static BrokerEndpoint parse(String hostPort) {
    HostPort hp = HostPort.parse(hostPort);
    return new BrokerEndpoint(
        hostPort, hp.host(), InetSocketAddress.createUnresolved(hp.host(), hp.port()));
  }

  @Override
  public String toString() {
    return id;
  }
}
