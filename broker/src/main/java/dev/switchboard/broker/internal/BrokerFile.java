package dev.switchboard.broker.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Registration;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.DurationRange;
import dev.switchboard.protocol.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The schema of a broker config file (docs/configuration.md), read by the strict mapper; optional
 * scalars are boxed so that "absent" means the documented default.
 */
public record BrokerFile(
    @JsonProperty(required = true) String id,
    String hostname,
    @JsonProperty(required = true) Listen listen,
    @JsonProperty(required = true) Tls tls,
    Codes codes,
    Timeouts timeouts,
    Boolean proxyProtocol,
    List<Peer> peers,
    Register register) {

  public BrokerFile {
    if (id == null || id.isBlank()) {
      throw ConfigException.field("id", "must not be empty");
    }
    if (peers != null && !peers.isEmpty() && listen != null && listen.mesh() == null) {
      throw ConfigException.field("peers", "peers need listen.mesh (the mesh listener)");
    }
  }

  /** The listeners; {@code mesh} is null for a broker without a mesh. */
  public record Listen(
      @JsonProperty(required = true) String client,
      @JsonProperty(required = true) String admin,
      String mesh) {
    public Listen {
      address("client", client);
      address("admin", admin);
      if (mesh != null) {
        address("mesh", mesh);
      }
    }
  }

  /** PEM files, relative to the config file's folder. */
  public record Tls(
      @JsonProperty(required = true) String ca,
      @JsonProperty(required = true) String cert,
      @JsonProperty(required = true) String key) {}

  /** Connection codes and the join rate limits. */
  public record Codes(
      @DurationRange(min = "1s", max = "24h") Duration ttl,
      Integer failedJoinsPerAddressPerMinute,
      Integer failedJoinsPerBrokerPerMinute,
      Integer failedJoinsPerCertificatePerMinute,
      Integer joinsInFlightPerSource) {
    public Codes {
      range("failedJoinsPerAddressPerMinute", failedJoinsPerAddressPerMinute, 1, 1_000_000);
      range("failedJoinsPerBrokerPerMinute", failedJoinsPerBrokerPerMinute, 1, 1_000_000);
      range("failedJoinsPerCertificatePerMinute", failedJoinsPerCertificatePerMinute, 1, 1_000_000);
      range("joinsInFlightPerSource", joinsInFlightPerSource, 1, 10_000);
    }
  }

  /** Handshake, pre-session and idle-session deadlines. */
  public record Timeouts(
      @DurationRange(min = "100ms", max = "10m") Duration handshake,
      @DurationRange(min = "100ms", max = "1h") Duration control,
      @DurationRange(min = "1s", max = "24h") Duration idle) {}

  /** Another broker of the mesh. */
  public record Peer(
      @JsonProperty(required = true) String id,
      @JsonProperty(required = true) String hostname,
      @JsonProperty(required = true) String client,
      @JsonProperty(required = true) String mesh) {
    public Peer {
      address("client", client);
      address("mesh", mesh);
    }
  }

  /** Keeping this broker in a regional lb's pools. */
  public record Register(
      @JsonProperty(required = true) String admin,
      @JsonProperty(required = true) List<String> pools,
      String ip,
      @DurationRange(min = "300ms", max = "1h") Duration ttl) {
    public Register {
      address("admin", admin);
      if (pools == null || pools.isEmpty()) {
        throw ConfigException.field("pools", "lists no pool");
      }
    }
  }

  /** The model, with relative paths resolved against {@code base}. */
  public BrokerConfig toConfig(Path base) {
    BrokerConfig c =
        BrokerConfig.defaults(
            id,
            hostname == null ? "localhost" : hostname,
            HostPort.parse(listen.client()),
            HostPort.parse(listen.admin()),
            base.resolve(tls.ca()),
            base.resolve(tls.cert()),
            base.resolve(tls.key()));
    if (codes != null) {
      c = c.withCodeTtl(codes.ttl() != null ? codes.ttl() : c.codeTtl());
      c =
          c.withRateLimits(
              or(codes.failedJoinsPerAddressPerMinute(), c.failedJoinsPerAddressPerMinute()),
              or(codes.failedJoinsPerBrokerPerMinute(), c.failedJoinsPerBrokerPerMinute()));
      c =
          c.withJoinLimits(
              or(
                  codes.failedJoinsPerCertificatePerMinute(),
                  c.failedJoinsPerCertificatePerMinute()),
              or(codes.joinsInFlightPerSource(), c.joinsInFlightPerSource()));
    }
    if (timeouts != null) {
      c =
          c.withTimeouts(
              or(timeouts.handshake(), c.handshakeTimeout()),
              or(timeouts.control(), c.controlTimeout()),
              or(timeouts.idle(), c.idleTimeout()));
    }
    c = c.withProxyProtocol(Boolean.TRUE.equals(proxyProtocol));
    if (listen.mesh() != null) {
      List<PeerConfig> ps =
          peers == null
              ? List.of()
              : peers.stream()
                  .map(
                      p ->
                          new PeerConfig(
                              p.id(),
                              p.hostname(),
                              HostPort.parse(p.client()),
                              HostPort.parse(p.mesh())))
                  .toList();
      c = c.withMesh(HostPort.parse(listen.mesh()), ps);
    }
    if (register != null) {
      c =
          c.withRegistration(
              new Registration(
                  HostPort.parse(register.admin()),
                  register.pools(),
                  register.ip() != null ? register.ip() : c.clientListen().host(),
                  register.ttl() != null ? register.ttl() : Duration.ofSeconds(10)));
    }
    return c;
  }

  private static <T> T or(T v, T dflt) {
    return v != null ? v : dflt;
  }

  private static void address(String field, String v) {
    try {
      HostPort.parse(v);
    } catch (IllegalArgumentException e) {
      throw ConfigException.field(field, e.getMessage());
    }
  }

  private static void range(String field, Integer v, int min, int max) {
    if (v != null && (v < min || v > max)) {
      throw ConfigException.field(field, "must be " + min + "-" + max + ", got " + v);
    }
  }
}
