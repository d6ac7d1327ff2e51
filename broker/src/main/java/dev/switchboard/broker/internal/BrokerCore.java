package dev.switchboard.broker.internal;

import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.time.Scheduler;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** State shared by all of a broker's connections; every field is thread-safe. */
public final class BrokerCore {
  public final BrokerConfig config;
  public final TlsMaterial tls;

  /** Wall time: code expiry is shown to users and tickets are checked by other brokers. */
  public final Clock clock;

  /** Protocol timeouts and retries; tests drive it by hand. */
  public final Scheduler scheduler;

  public final SecureRandom random = new SecureRandom();
  public final CodeRegistry codes;
  public final JoinRateLimiter rateLimiter;
  public final BrokerMetrics metrics;

  /** Targets joined here whose controller is being redirected here, by session id. */
  public final Map<String, PendingTarget> pendingTargets = new ConcurrentHashMap<>();

  /** Ids of tickets already used, to refuse replays until they expire. */
  public final Set<String> usedTickets = ConcurrentHashMap.newKeySet();

  public final Set<RelaySession> sessions = ConcurrentHashMap.newKeySet();

  /** Issues and checks resumption credentials. */
  final ResumeCredentials resumeCredentials = new ResumeCredentials(this);

  /** Sides of broken sessions waiting here for their peer, and known session generations. */
  final Resumptions resumptions = new Resumptions(this, resumeCredentials);

  public final AtomicBoolean draining = new AtomicBoolean();
  public volatile Mesh mesh = Mesh.NONE;

  /** The session audit log; null when none is configured. */
  public volatile AuditLog audit;

  /** The revocation list ({@code tls.crl}); null when none is configured. */
  public volatile CrlWatcher crl;

  public BrokerCore(BrokerConfig config, TlsMaterial tls, Clock clock, Scheduler scheduler) {
    this.config = config;
    this.tls = tls;
    this.clock = clock;
    this.metrics = new BrokerMetrics(config.id());
    this.scheduler = scheduler;
    this.codes = new CodeRegistry(clock, config.codeTtl(), new ConnectionCodes(random));
    this.rateLimiter =
        new JoinRateLimiter(
            clock,
            new JoinRateLimiter.Limits(
                config.failedJoinsPerAddressPerMinute(),
                config.failedJoinsPerCertificatePerMinute(),
                config.failedJoinsPerBrokerPerMinute(),
                config.joinsInFlightPerSource()));
    metrics.codesOpen(codes::open);
  }

  /** Whether {@code cert} is on the revocation list (false when there is none). */
  public boolean isRevoked(java.security.cert.X509Certificate cert) {
    CrlWatcher c = crl;
    return c != null && c.isRevoked(cert);
  }

  public String newSessionId() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return config.id() + "-" + HexFormat.of().formatHex(b);
  }

  public byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
