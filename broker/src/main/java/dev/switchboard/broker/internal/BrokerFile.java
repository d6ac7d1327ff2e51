package dev.switchboard.broker.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.broker.AdminSettings;
import dev.switchboard.broker.AuditSettings;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Registration;
import dev.switchboard.config.Cidr;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.DurationRange;
import dev.switchboard.protocol.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    List<String> trustedProxies,
    List<Peer> peers,
    Register register,
    Admin admin,
    Audit audit) {

  /** Where the admin listener binds when {@code listen.admin} is absent: never a public address. */
  public static final String DEFAULT_ADMIN_LISTEN = "127.0.0.1:7480";

  public BrokerFile {
    if (id == null || id.isBlank()) {
      throw ConfigException.field("id", "must not be empty");
    }
    if (Boolean.TRUE.equals(proxyProtocol)
        && (trustedProxies == null || trustedProxies.isEmpty())) {
      throw ConfigException.field(
          "trustedProxies",
          "proxyProtocol: true needs the addresses of the load balancers in front"
              + " (e.g. [10.0.1.4/32]); a PROXY header from anyone else is refused");
    }
    if (trustedProxies != null) {
      for (int i = 0; i < trustedProxies.size(); i++) {
        Cidr.parse("trustedProxies[" + i + "]", trustedProxies.get(i));
      }
    }
    if (!Boolean.TRUE.equals(proxyProtocol)
        && trustedProxies != null
        && !trustedProxies.isEmpty()) {
      throw ConfigException.field("trustedProxies", "only meaningful with proxyProtocol: true");
    }
    if (peers != null && !peers.isEmpty() && listen != null && listen.mesh() == null) {
      throw ConfigException.field("peers", "peers need listen.mesh (the mesh listener)");
    }
  }

  /** The listeners; {@code mesh} is null for a broker without a mesh. */
  public record Listen(@JsonProperty(required = true) String client, String admin, String mesh) {
    public Listen {
      address("client", client);
      if (admin != null) {
        address("admin", admin);
      }
      if (mesh != null) {
        address("mesh", mesh);
      }
    }
  }

  /** PEM files, relative to the config file's folder; {@code crl} is optional. */
  public record Tls(
      @JsonProperty(required = true) String ca,
      @JsonProperty(required = true) String cert,
      @JsonProperty(required = true) String key,
      String crl) {}

  /** Connection codes and the join rate limits. */
  public record Codes(
      @DurationRange(min = "1s", max = "24h") Duration ttl,
      Integer failedJoinsPerAddressPerMinute,
      Integer failedJoinsPerBrokerPerMinute,
      Integer failedJoinsPerCertificatePerMinute,
      Integer joinsInFlightPerSource,
      @DurationRange(min = "100ms", max = "1m") Duration failureSharingInterval) {
    public Codes {
      range("failedJoinsPerAddressPerMinute", failedJoinsPerAddressPerMinute, 1, 1_000_000);
      range("failedJoinsPerBrokerPerMinute", failedJoinsPerBrokerPerMinute, 1, 1_000_000);
      range("failedJoinsPerCertificatePerMinute", failedJoinsPerCertificatePerMinute, 1, 1_000_000);
      range("joinsInFlightPerSource", joinsInFlightPerSource, 1, 10_000);
    }
  }

  /** Handshake, pre-session, idle-session and admin-request deadlines. */
  public record Timeouts(
      @DurationRange(min = "100ms", max = "10m") Duration handshake,
      @DurationRange(min = "100ms", max = "1h") Duration control,
      @DurationRange(min = "1s", max = "24h") Duration idle,
      @DurationRange(min = "100ms", max = "10m") Duration adminRequest,
      @DurationRange(min = "3s", max = "1h") Duration resumeWindow) {}

  /** The admin listener's token file (relative to the config file) and connection caps. */
  public record Admin(String tokenFile, Integer maxConnections, Integer maxConnectionsPerSource) {
    public Admin {
      if (tokenFile != null && tokenFile.isBlank()) {
        throw ConfigException.field("tokenFile", "must not be empty");
      }
      range("maxConnections", maxConnections, 1, 10_000);
      range("maxConnectionsPerSource", maxConnectionsPerSource, 1, 10_000);
    }
  }

  /**
   * The session audit log: {@code file} relative to the config file; absent section or file means
   * no audit log.
   */
  public record Audit(
      @JsonProperty(required = true) String file, Long maxBytes, Integer keep, Integer queueSize) {
    public Audit {
      if (file == null || file.isBlank()) {
        throw ConfigException.field("file", "must not be empty");
      }
      if (maxBytes != null && (maxBytes < 1024 || maxBytes > 1L << 40)) {
        throw ConfigException.field("maxBytes", "must be 1024-" + (1L << 40) + ", got " + maxBytes);
      }
      range("keep", keep, 1, 100);
      range("queueSize", queueSize, 1, 1_000_000);
    }
  }

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

  /** The lb's default token file name (as the lb writes it beside its own config). */
  static final String DEFAULT_LB_TOKEN_FILE = "lb-admin.token";

  /** Keeping this broker in a regional lb's pools; tokenFile is that lb's admin token file. */
  public record Register(
      @JsonProperty(required = true) String admin,
      String tokenFile,
      @JsonProperty(required = true) List<String> pools,
      List<String> backupPools,
      String ip,
      @DurationRange(min = "300ms", max = "1h") Duration ttl) {
    public Register {
      address("admin", admin);
      if (tokenFile != null && tokenFile.isBlank()) {
        throw ConfigException.field("tokenFile", "must not be empty");
      }
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
            HostPort.parse(or(listen.admin(), DEFAULT_ADMIN_LISTEN)),
            base.resolve(tls.ca()),
            base.resolve(tls.cert()),
            base.resolve(tls.key()));
    if (tls.crl() != null) {
      c = c.withCrl(base.resolve(tls.crl()));
    }
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
      c =
          c.withFailureSharingInterval(
              or(codes.failureSharingInterval(), c.failureSharingInterval()));
    }
    if (timeouts != null) {
      c =
          c.withTimeouts(
              or(timeouts.handshake(), c.handshakeTimeout()),
              or(timeouts.control(), c.controlTimeout()),
              or(timeouts.idle(), c.idleTimeout()));
      c = c.withResumeWindow(or(timeouts.resumeWindow(), c.resumeWindow()));
    }
    if (Boolean.TRUE.equals(proxyProtocol)) {
      List<Cidr> trusted = new ArrayList<>();
      for (int i = 0; i < trustedProxies.size(); i++) {
        trusted.add(Cidr.parse("trustedProxies[" + i + "]", trustedProxies.get(i)));
      }
      c = c.withTrustedProxies(trusted);
    }
    AdminSettings a = AdminSettings.defaultsIn(base);
    c =
        c.withAdmin(
            new AdminSettings(
                admin != null && admin.tokenFile() != null
                    ? base.resolve(admin.tokenFile())
                    : a.tokenFile(),
                timeouts != null
                    ? or(timeouts.adminRequest(), a.requestTimeout())
                    : a.requestTimeout(),
                admin != null ? or(admin.maxConnections(), a.maxConnections()) : a.maxConnections(),
                admin != null
                    ? or(admin.maxConnectionsPerSource(), a.maxConnectionsPerSource())
                    : a.maxConnectionsPerSource()));
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
                  base.resolve(or(register.tokenFile(), DEFAULT_LB_TOKEN_FILE)),
                  register.pools(),
                  register.backupPools() != null ? register.backupPools() : List.of(),
                  register.ip() != null ? register.ip() : c.clientListen().host(),
                  register.ttl() != null ? register.ttl() : Duration.ofSeconds(10)));
    }
    if (audit != null) {
      c =
          c.withAudit(
              new AuditSettings(
                  base.resolve(audit.file()),
                  or(audit.maxBytes(), AuditSettings.DEFAULT_MAX_BYTES),
                  or(audit.keep(), AuditSettings.DEFAULT_KEEP),
                  or(audit.queueSize(), AuditSettings.DEFAULT_QUEUE_SIZE)));
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
