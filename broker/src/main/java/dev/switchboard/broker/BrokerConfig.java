package dev.switchboard.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a broker needs to run; see docs/configuration.md for the file format.
 *
 * @param hostname the name clients use to reach this broker (in its certificate; sent in redirects)
 * @param advertisedClient the address redirected controllers connect to (defaults to clientListen)
 * @param meshListen null when the broker runs alone
 */
public record BrokerConfig(
    String id,
    String hostname,
    HostPort clientListen,
    HostPort adminListen,
    HostPort meshListen,
    HostPort advertisedClient,
    Path caFile,
    Path certFile,
    Path keyFile,
    Duration codeTtl,
    Duration ticketTtl,
    Duration handshakeTimeout,
    Duration controlTimeout,
    Duration idleTimeout,
    int failedJoinsPerAddressPerMinute,
    int failedJoinsPerBrokerPerMinute,
    boolean proxyProtocol,
    List<PeerConfig> peers) {

  public static final Duration DEFAULT_CODE_TTL = Duration.ofMinutes(10);

  /** A config with the documented defaults for everything but identity, addresses and files. */
  public static BrokerConfig defaults(String id, String hostname, HostPort client, HostPort admin,
      Path ca, Path cert, Path key) {
    return new BrokerConfig(id, hostname, client, admin, null, null, ca, cert, key,
        DEFAULT_CODE_TTL, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofMinutes(5), 10, 300, false, List.of());
  }

  public BrokerConfig withCodeTtl(Duration d) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, d, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, peers);
  }

  public BrokerConfig withTimeouts(Duration handshake, Duration control, Duration idle) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshake, control, idle,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, peers);
  }

  public BrokerConfig withRateLimits(int perAddress, int perBroker) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        perAddress, perBroker, proxyProtocol, peers);
  }

  public BrokerConfig withMesh(HostPort meshListen, HostPort advertisedClient, List<PeerConfig> peers) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, List.copyOf(peers));
  }

  public BrokerConfig withProxyProtocol(boolean on) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, on, peers);
  }
}
