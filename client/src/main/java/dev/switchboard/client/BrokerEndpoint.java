package dev.switchboard.client;

import java.net.InetSocketAddress;

/**
 * A broker as a client sees it: its id (may be unknown until HELLO), the hostname its certificate
 * must carry, and the address to dial (which may be a load balancer in front of it).
 */
public record BrokerEndpoint(String id, String hostname, InetSocketAddress address) {

  /** An endpoint from {@code HOST:PORT}; the host is both dialled and verified. */
  public static BrokerEndpoint parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("broker '" + hostPort + "' is not HOST:PORT");
    }
    String host = hostPort.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port in broker '" + hostPort + "' is not a number");
    }
    return new BrokerEndpoint(hostPort, host, InetSocketAddress.createUnresolved(host, port));
  }

  @Override
  public String toString() {
    return id;
  }
}
