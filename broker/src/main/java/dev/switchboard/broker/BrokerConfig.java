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
 * @param registration null unless the broker keeps itself in a load balancer's pools
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
    List<PeerConfig> peers,
    Registration registration) {

  public static final Duration DEFAULT_CODE_TTL = Duration.ofMinutes(10);

  /** A config with the documented defaults for everything but identity, addresses and files. */
  public static BrokerConfig defaults(String id, String hostname, HostPort client, HostPort admin,
      Path ca, Path cert, Path key) {
    return new BrokerConfig(id, hostname, client, admin, null, null, ca, cert, key,
        DEFAULT_CODE_TTL, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofMinutes(5), 10, 300, false, List.of(), null);
  }

  public BrokerConfig withCodeTtl(Duration d) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, d, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, peers, registration);
  }

  public BrokerConfig withTimeouts(Duration handshake, Duration control, Duration idle) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshake, control, idle,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, peers, registration);
  }

  public BrokerConfig withRateLimits(int perAddress, int perBroker) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        perAddress, perBroker, proxyProtocol, peers, registration);
  }

  public BrokerConfig withMesh(HostPort meshListen, HostPort advertisedClient, List<PeerConfig> peers) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, List.copyOf(peers), registration);
  }

  public BrokerConfig withRegistration(Registration r) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, proxyProtocol, peers, r);
  }

  public BrokerConfig withProxyProtocol(boolean on) {
    return new BrokerConfig(id, hostname, clientListen, adminListen, meshListen, advertisedClient, caFile, certFile,
        keyFile, codeTtl, ticketTtl, handshakeTimeout, controlTimeout, idleTimeout,
        failedJoinsPerAddressPerMinute, failedJoinsPerBrokerPerMinute, on, peers, registration);
  }
}
