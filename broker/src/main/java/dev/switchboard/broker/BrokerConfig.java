package dev.switchboard.broker;

import dev.switchboard.config.Cidr;
import dev.switchboard.protocol.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a broker needs to run; see docs/configuration.md for the file format.
 *
 * @param hostname the name clients use to reach this broker (in its certificate; sent in redirects)
 * @param meshListen null when the broker runs alone
 * @param registration null unless the broker keeps itself in a load balancer's pools
 * @param admin the admin listener's token file and limits
 * @param crlFile the CA's revocation list, reloaded when it changes; null when not configured
 * @param failureSharingInterval how often failed joins are reported to the mesh peers
 * @param audit the session audit log; null when off (the default)
 * @param resumeWindow how long a session whose relay broke may take to resume (docs/protocol.md,
 *     "Resumption")
 */
public record BrokerConfig(
    String id,
    String hostname,
    HostPort clientListen,
    HostPort adminListen,
    HostPort meshListen,
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
    int failedJoinsPerCertificatePerMinute,
    int joinsInFlightPerSource,
    List<Cidr> trustedProxies,
    List<PeerConfig> peers,
    Registration registration,
    AdminSettings admin,
    Path crlFile,
    Duration failureSharingInterval,
    AuditSettings audit,
    Duration resumeWindow) {

  public static final Duration DEFAULT_CODE_TTL = Duration.ofMinutes(10);

  public static final Duration DEFAULT_FAILURE_SHARING_INTERVAL = Duration.ofSeconds(1);

  public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofSeconds(60);

  /** The longest drain deadline a command or request may give. */
  public static final Duration MAX_DRAIN_DEADLINE = Duration.ofHours(1);

  public BrokerConfig {
    trustedProxies = List.copyOf(trustedProxies);
    peers = List.copyOf(peers);
  }

  /**
   * Whether clients come through load balancers that prepend PROXY protocol v2: they do when any
   * proxy is trusted ({@code trustedProxies}), and then only those peers may send a header.
   */
  public boolean proxyProtocol() {
    return !trustedProxies.isEmpty();
  }

  /**
   * A config with the documented defaults for everything but identity, addresses and files; the
   * admin token file is {@code admin.token} beside the key file.
   */
  public static BrokerConfig defaults(
      String id, String hostname, HostPort client, HostPort admin, Path ca, Path cert, Path key) {
    return new BrokerConfig(
        id,
        hostname,
        client,
        admin,
        null,
        ca,
        cert,
        key,
        DEFAULT_CODE_TTL,
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        10,
        300,
        10,
        8,
        List.of(),
        List.of(),
        null,
        AdminSettings.defaultsIn(parentOf(key)),
        null,
        DEFAULT_FAILURE_SHARING_INTERVAL,
        null,
        DEFAULT_RESUME_WINDOW);
  }

  private static Path parentOf(Path file) {
    Path p = file.toAbsolutePath().getParent();
    return p != null ? p : file.toAbsolutePath();
  }

  public BrokerConfig withCodeTtl(Duration d) {
    return edit(b -> b.codeTtl = d);
  }

  public BrokerConfig withTimeouts(Duration handshake, Duration control, Duration idle) {
    return edit(
        b -> {
          b.handshakeTimeout = handshake;
          b.controlTimeout = control;
          b.idleTimeout = idle;
        });
  }

  public BrokerConfig withRateLimits(int perAddress, int perBroker) {
    return edit(
        b -> {
          b.failedJoinsPerAddressPerMinute = perAddress;
          b.failedJoinsPerBrokerPerMinute = perBroker;
        });
  }

  public BrokerConfig withJoinLimits(int perCertificate, int inFlightPerSource) {
    return edit(
        b -> {
          b.failedJoinsPerCertificatePerMinute = perCertificate;
          b.joinsInFlightPerSource = inFlightPerSource;
        });
  }

  public BrokerConfig withClientListen(HostPort client) {
    return edit(b -> b.clientListen = client);
  }

  public BrokerConfig withMesh(HostPort meshListen, List<PeerConfig> peers) {
    return edit(
        b -> {
          b.meshListen = meshListen;
          b.peers = peers;
        });
  }

  public BrokerConfig withRegistration(Registration r) {
    return edit(b -> b.registration = r);
  }

  public BrokerConfig withAdmin(AdminSettings a) {
    return edit(b -> b.admin = a);
  }

  /**
   * Expects PROXY protocol v2 from these load balancers (and only from them); empty turns PROXY
   * protocol off.
   */
  public BrokerConfig withTrustedProxies(List<Cidr> proxies) {
    return edit(b -> b.trustedProxies = proxies);
  }

  /** Reports failed joins to the mesh peers this often. */
  public BrokerConfig withFailureSharingInterval(Duration d) {
    return edit(b -> b.failureSharingInterval = d);
  }

  /** Refuses clients whose certificate is listed in this CRL (null: no revocation list). */
  public BrokerConfig withCrl(Path crl) {
    return edit(b -> b.crlFile = crl);
  }

  /** Writes one audit record per relayed session (null: no audit log). */
  public BrokerConfig withAudit(AuditSettings a) {
    return edit(b -> b.audit = a);
  }

  /** Lets a session whose relay broke resume within this window. */
  public BrokerConfig withResumeWindow(Duration d) {
    return edit(b -> b.resumeWindow = d);
  }

  /**
   * How often a relaying broker sends each side a fresh resumption credential: a third of the
   * window, so a credential outlives its broker by at least the window.
   */
  public Duration credentialRefresh() {
    return resumeWindow.dividedBy(3);
  }

  private BrokerConfig edit(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The mutable fields the {@code with*} methods change; everything else is copied. */
  private static final class Fields {
    final BrokerConfig c;
    HostPort clientListen;
    HostPort meshListen;
    Duration codeTtl;
    Duration handshakeTimeout;
    Duration controlTimeout;
    Duration idleTimeout;
    int failedJoinsPerAddressPerMinute;
    int failedJoinsPerBrokerPerMinute;
    int failedJoinsPerCertificatePerMinute;
    int joinsInFlightPerSource;
    List<Cidr> trustedProxies;
    List<PeerConfig> peers;
    Registration registration;
    AdminSettings admin;
    Path crlFile;
    Duration failureSharingInterval;
    AuditSettings audit;
    Duration resumeWindow;

    Fields(BrokerConfig c) {
      this.c = c;
      clientListen = c.clientListen;
      meshListen = c.meshListen;
      codeTtl = c.codeTtl;
      handshakeTimeout = c.handshakeTimeout;
      controlTimeout = c.controlTimeout;
      idleTimeout = c.idleTimeout;
      failedJoinsPerAddressPerMinute = c.failedJoinsPerAddressPerMinute;
      failedJoinsPerBrokerPerMinute = c.failedJoinsPerBrokerPerMinute;
      failedJoinsPerCertificatePerMinute = c.failedJoinsPerCertificatePerMinute;
      joinsInFlightPerSource = c.joinsInFlightPerSource;
      trustedProxies = c.trustedProxies;
      peers = c.peers;
      registration = c.registration;
      admin = c.admin;
      crlFile = c.crlFile;
      failureSharingInterval = c.failureSharingInterval;
      audit = c.audit;
      resumeWindow = c.resumeWindow;
    }

    BrokerConfig build() {
      return new BrokerConfig(
          c.id,
          c.hostname,
          clientListen,
          c.adminListen,
          meshListen,
          c.caFile,
          c.certFile,
          c.keyFile,
          codeTtl,
          c.ticketTtl,
          handshakeTimeout,
          controlTimeout,
          idleTimeout,
          failedJoinsPerAddressPerMinute,
          failedJoinsPerBrokerPerMinute,
          failedJoinsPerCertificatePerMinute,
          joinsInFlightPerSource,
          trustedProxies,
          peers,
          registration,
          admin,
          crlFile,
          failureSharingInterval,
          audit,
          resumeWindow);
    }
  }
}
