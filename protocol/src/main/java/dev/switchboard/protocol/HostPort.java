package dev.switchboard.protocol;

import java.net.InetSocketAddress;

/** A host and port as written in configuration ({@code 127.0.0.1:7443}, {@code [::1]:7443}). */
public record HostPort(String host, int port) {

  /** Parses {@code HOST:PORT}; port 0 means "any free port". */
  public static HostPort parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("missing address (expected HOST:PORT)");
    }
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("address '" + s + "' is not HOST:PORT");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port in '" + s + "' is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port in '" + s + "' is outside 0-65535");
    }
    return new HostPort(host, port);
  }

  /** A bound or resolved address as {@code host:port}, without InetSocketAddress's stray slash. */
  public static HostPort of(InetSocketAddress address) {
    return new HostPort(address.getHostString(), address.getPort());
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
