package dev.switchboard.broker.internal;

import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Ticket;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins (a target presents a code) and attaches (a redirected controller presents a ticket) for one
 * client connection. Runs on that connection's event loop; mesh answers are re-posted to it.
 */
final class JoinHandling {
  private static final Logger log = LoggerFactory.getLogger(JoinHandling.class);
  private final BrokerCore core;
  private final ClientConnection conn;
  private String pendingSessionId;

  JoinHandling(BrokerCore core, ClientConnection conn) {
    this.core = core;
    this.conn = conn;
  }

  void join(String typed) {
    InetAddress source = conn.source();
    // Tokens are taken now, not when the answer comes: concurrent joins cannot overdraw them.
    JoinRateLimiter.Admission admission = core.rateLimiter.admit(source, conn.fingerprint());
    if (admission == null) {
      core.metrics.rateLimitedJoins.inc();
      refuse(
          ErrorCode.RATE_LIMITED,
          "too many failed or pending joins from "
              + source.getHostAddress()
              + " or with this certificate; wait a minute and try again",
          false);
      return;
    }
    Optional<String> code = ConnectionCodes.normalize(typed);
    if (code.isEmpty()) {
      fail(
          admission,
          ErrorCode.CODE_UNKNOWN,
          "that is not a connection code: "
              + ConnectionCodes.problem(typed).orElse("unknown form"));
      return;
    }
    if (core.draining.get()) {
      admission.succeeded();
      refuse(
          ErrorCode.DRAINING,
          "broker " + core.config.id() + " is draining; join another broker",
          false);
      return;
    }
    String sessionId = core.newSessionId();
    CodeRegistry.Claim local = core.codes.claim(code.get());
    if (local.ok()) {
      admission.succeeded();
      core.metrics.joinsOk.inc();
      log.info(
          "target {} joined code of controller {} locally, session {}",
          conn.name(),
          local.controller().name(),
          sessionId);
      local.controller().pairLocally(conn, sessionId);
      return;
    }
    if (local.refusal() != ErrorCode.CODE_UNKNOWN) {
      fail(admission, local.refusal(), describe(local.refusal()));
      return;
    }
    // Not ours: the owner is another broker. Register first, so an early attach finds us.
    pendingSessionId = sessionId;
    PendingTarget pending = new PendingTarget(conn, new CompletableFuture<>());
    core.pendingTargets.put(sessionId, pending);
    core.mesh
        .claim(code.get(), sessionId)
        .whenComplete(
            (claimed, err) ->
                conn.channel()
                    .eventLoop()
                    .execute(
                        () -> {
                          // JOINED goes to the target before an early ATTACH may start the relay
                          // (SESSION_START): the attach waits for this completion.
                          try {
                            claimAnswered(admission, sessionId, claimed, err);
                          } finally {
                            pending.claim().complete(err != null ? null : claimed);
                          }
                        }));
  }

  private void claimAnswered(
      JoinRateLimiter.Admission admission, String sessionId, Mesh.Claimed claimed, Throwable err) {
    Message.ClaimResult r = err != null ? null : claimed.result();
    if (!conn.channel().isActive()) {
      // Hanging up early does not spare a wrong code its charge.
      if (err != null || r.status() != null) {
        admission.failed();
        core.metrics.failedJoin(err != null ? ErrorCode.OWNER_UNREACHABLE : r.status());
      } else {
        admission.succeeded();
      }
      core.pendingTargets.remove(sessionId);
      return;
    }
    if (err != null || r.status() != null) {
      core.pendingTargets.remove(sessionId);
      pendingSessionId = null;
      ErrorCode code = err != null ? ErrorCode.OWNER_UNREACHABLE : r.status();
      fail(
          admission,
          code,
          err != null ? "the broker mesh did not answer: " + err.getMessage() : describe(code));
      return;
    }
    admission.succeeded();
    core.metrics.joinsOk.inc();
    log.info(
        "target {} joined a code of broker mesh peer; controller {} redirected here, session {}",
        conn.name(),
        r.controllerName(),
        sessionId);
    conn.joinedRemotely(sessionId);
    // The controller must arrive within the ticket's lifetime (plus its connect time).
    Duration wait = core.config.ticketTtl().plus(core.config.handshakeTimeout());
    core.scheduler.schedule(
        () ->
            conn.channel()
                .eventLoop()
                .execute(
                    () -> {
                      PendingTarget p = core.pendingTargets.get(sessionId);
                      if (p != null
                          && p.connection() == conn
                          && core.pendingTargets.remove(sessionId, p)) {
                        conn.refuseAndClose(
                            ErrorCode.CONTROLLER_GONE,
                            "the controller did not arrive after its redirect");
                      }
                    }),
        wait);
  }

  void attach(byte[] wire) {
    Ticket ticket;
    try {
      ticket = Ticket.parse(wire);
    } catch (ProtocolException e) {
      refuse(e.code(), e.getMessage(), true);
      return;
    }
    Optional<X509Certificate> issuerCert = core.mesh.peerCertificate(ticket.issuer());
    if (!ticket.audience().equals(core.config.id())
        || issuerCert.isEmpty()
        || Roles.roleOf(issuerCert.get()).orElse(null) != Role.BROKER
        || !ticket.verify(issuerCert.get().getPublicKey())) {
      refuse(ErrorCode.TICKET_INVALID, "ticket signature or audience does not check out", true);
      return;
    }
    String ticketId = HexFormat.of().formatHex(ticket.id());
    if (core.usedTickets.contains(ticketId)) {
      refuse(ErrorCode.TICKET_REPLAYED, "this ticket was already used", true);
      return;
    }
    if (core.clock.millis() >= ticket.expiresAtMillis()) {
      refuse(
          ErrorCode.TICKET_EXPIRED,
          "ticket expired " + (core.clock.millis() - ticket.expiresAtMillis()) + " ms ago",
          true);
      return;
    }
    if (!ticket.boundTo(conn.fingerprint())) {
      refuse(
          ErrorCode.TICKET_WRONG_CONTROLLER,
          "ticket was issued to another controller's certificate",
          true);
      return;
    }
    if (!core.usedTickets.add(ticketId)) {
      refuse(ErrorCode.TICKET_REPLAYED, "this ticket was already used", true);
      return;
    }
    long forget = ticket.expiresAtMillis() - core.clock.millis() + 1000;
    core.scheduler.schedule(() -> core.usedTickets.remove(ticketId), Duration.ofMillis(forget));
    PendingTarget pending = core.pendingTargets.remove(ticket.sessionId());
    if (pending == null || !pending.connection().channel().isActive()) {
      refuse(ErrorCode.PEER_LOST, "the target of this session is no longer connected", true);
      return;
    }
    // The owner may redirect the controller before its claim answer reaches us: wait for it
    // (it arrives within the mesh claim timeout), then accept only the ticket it names.
    pending
        .claim()
        .whenComplete(
            (claimed, err) ->
                conn.channel().eventLoop().execute(() -> attachMatched(ticket, pending, claimed)));
  }

  private void attachMatched(Ticket ticket, PendingTarget pending, Mesh.Claimed claimed) {
    if (claimed == null
        || !claimed.ok()
        || !claimed.ownerId().equals(ticket.issuer())
        || !Arrays.equals(claimed.result().ticketId(), ticket.id())
        || !Arrays.equals(claimed.result().controllerFingerprint(), conn.fingerprint())) {
      if (claimed != null && claimed.ok()) {
        // Not the ticket the owner issued for this session: keep the target for the real one.
        core.pendingTargets.putIfAbsent(ticket.sessionId(), pending);
      }
      log.warn(
          "refused a ticket from {} for session {}: it is not the one the code's owner issued",
          ticket.issuer(),
          ticket.sessionId());
      refuse(
          ErrorCode.TICKET_INVALID,
          "this ticket is not the one the code's owner issued for this session",
          true);
      return;
    }
    ClientConnection target = pending.connection();
    if (!conn.channel().isActive() || !target.channel().isActive()) {
      refuse(ErrorCode.PEER_LOST, "the target of this session is no longer connected", true);
      return;
    }
    log.info(
        "controller {} attached with ticket from {}, session {}",
        conn.name(),
        ticket.issuer(),
        ticket.sessionId());
    conn.relaying();
    target.channel().eventLoop().execute(target::relaying);
    RelaySession.start(core, ticket.sessionId(), conn, target, ticket.issuer());
  }

  void connectionLost() {
    if (pendingSessionId != null) {
      PendingTarget p = core.pendingTargets.get(pendingSessionId);
      if (p != null && p.connection() == conn) {
        core.pendingTargets.remove(pendingSessionId, p);
      }
    }
  }

  private void fail(JoinRateLimiter.Admission admission, ErrorCode code, String message) {
    admission.failed();
    core.metrics.failedJoin(code);
    if (hidesExistence(code)) {
      // A guesser must not learn that a code existed: the target hears CODE_UNKNOWN either way.
      log.info("target {} refused: {} ({})", conn.name(), code, message);
      refuse(ErrorCode.CODE_UNKNOWN, UNKNOWN_CODE, false);
      return;
    }
    refuse(code, message, false);
  }

  /** Whether a target is told {@code CODE_UNKNOWN} instead of this reason. */
  static boolean hidesExistence(ErrorCode code) {
    return code == ErrorCode.CODE_USED
        || code == ErrorCode.CODE_EXPIRED
        || code == ErrorCode.CONTROLLER_GONE;
  }

  private void refuse(ErrorCode code, String message, boolean close) {
    conn.joinFailed();
    if (close) {
      conn.refuseAndClose(code, message);
    } else {
      conn.refuse(code, message);
    }
  }

  static final String UNKNOWN_CODE =
      "no session waits for this code; check it with the controller or ask for a new one";

  /** The detail logged for a refusal; see {@link #hidesExistence} for what a target hears. */
  static String describe(ErrorCode code) {
    switch (code) {
      case CODE_UNKNOWN:
        return UNKNOWN_CODE;
      case CODE_EXPIRED:
        return "this code has expired; ask the controller for a new one";
      case CODE_USED:
        return "this code was already used; ask the controller for a new one";
      case CONTROLLER_GONE:
        return "the controller that requested this code has disconnected";
      default:
        return code.sentence();
    }
  }
}
