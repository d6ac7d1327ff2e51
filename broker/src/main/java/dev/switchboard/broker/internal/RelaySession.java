package dev.switchboard.broker.internal;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed session between a controller and a target channel. Owns the switch from control phase
 * to relay phase and the single, reasoned end of the session.
 */
public final class RelaySession {
  private static final Logger log = LoggerFactory.getLogger(RelaySession.class);
  private final BrokerCore core;
  private final String id;
  private final RelayHandler controllerSide;
  private final RelayHandler targetSide;
  // Held here, not read from the handlers: a side whose relay handler is not installed yet (its
  // event loop has not run install) must still be closed when the session ends.
  private final Channel controller;
  private final Channel target;
  private final long startedMillis;
  private final String ownerBroker;
  private final AuditRecord.Party controllerParty;
  private final AuditRecord.Party targetParty;
  private int installed;
  private int eofs;
  private boolean ended;

  private RelaySession(
      BrokerCore core,
      String id,
      ClientConnection controller,
      ClientConnection target,
      String owner) {
    this.core = core;
    this.id = id;
    this.controller = controller.channel();
    this.target = target.channel();
    this.startedMillis = core.clock.millis();
    this.ownerBroker = owner;
    this.controllerParty = controller.party();
    this.targetParty = target.party();
    this.controllerSide = new RelayHandler(this, "controller", core.metrics);
    this.targetSide = new RelayHandler(this, "target", core.metrics);
    controllerSide.peer(targetSide, this.target);
    targetSide.peer(controllerSide, this.controller);
  }

  /**
   * Starts relaying: each channel gets SessionStart naming its peer, its control handlers are
   * replaced by a relay handler, and reading starts once both sides are switched.
   *
   * @param ownerBroker the broker that issued the controller's code (for the audit log)
   */
  static RelaySession start(
      BrokerCore core,
      String id,
      ClientConnection controllerConn,
      ClientConnection targetConn,
      String ownerBroker) {
    RelaySession s = new RelaySession(core, id, controllerConn, targetConn, ownerBroker);
    Channel controller = s.controller;
    Channel target = s.target;
    String controllerName = controllerConn.name();
    String targetName = targetConn.name();
    core.sessions.add(s);
    core.metrics.sessionsActive.incrementAndGet();
    core.metrics.sessionsTotal.inc();
    controller.eventLoop().execute(() -> s.install(controller, s.controllerSide, targetName));
    target.eventLoop().execute(() -> s.install(target, s.targetSide, controllerName));
    log.info("session {} started: controller {} <-> target {}", id, controllerName, targetName);
    return s;
  }

  private void install(Channel ch, RelayHandler handler, String peerName) {
    ch.config().setAutoRead(false);
    ch.writeAndFlush(new Message.SessionStart(id, peerName));
    var p = ch.pipeline();
    long idleMs = core.config.idleTimeout().toMillis();
    p.replace(
        PipelineNames.IDLE,
        PipelineNames.IDLE,
        new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
    p.addLast(PipelineNames.RELAY, handler);
    p.remove(PipelineNames.CONTROL);
    p.remove(PipelineNames.DECODER); // hands any bytes it buffered to the relay handler
    boolean both;
    synchronized (this) {
      both = ++installed == 2;
    }
    if (!ch.isActive()) {
      handler.channelLost();
    }
    if (both) {
      controllerSide.startReading();
      targetSide.startReading();
    }
  }

  /**
   * One side sent EOF. Counted before the EOF is forwarded, so a side that closes on reading the
   * last EOF cannot end the session as PEER_CLOSED first.
   *
   * @return true when both sides have now sent EOF; the caller then calls {@link #complete()} after
   *     forwarding this EOF
   */
  boolean countEof() {
    synchronized (this) {
      return ++eofs == 2 && !ended;
    }
  }

  /** Both sides finished sending: the session is complete. */
  void complete() {
    endBoth(ErrorCode.SESSION_COMPLETE, "both sides finished sending");
  }

  /** Ends the session because of something neither side did (idle, malformed frame, shutdown). */
  void endBoth(ErrorCode reason, String message) {
    end(reason, message, controllerSide, targetSide);
  }

  /**
   * Ends the session once: sends CLOSE with the reason to each side in {@code notify}, then closes
   * both channels after their last write.
   */
  void end(ErrorCode reason, String message, RelayHandler... notify) {
    synchronized (this) {
      if (ended) {
        return;
      }
      if (eofs == 2 && (reason == ErrorCode.PEER_CLOSED || reason == ErrorCode.PEER_LOST)) {
        // Both sides had finished sending; a side closing after it is the normal end.
        reason = ErrorCode.SESSION_COMPLETE;
        message = "both sides finished sending";
      }
      ended = true;
    }
    core.sessions.remove(this);
    core.metrics.sessionsActive.decrementAndGet();
    core.metrics.sessionEnded(reason);
    long endedMillis = core.clock.millis();
    core.metrics.sessionSeconds.observe((endedMillis - startedMillis) / 1000.0);
    log.info("session {} ended: {} ({})", id, reason, message);
    audit(endedMillis, reason, message);
    List<RelayHandler> notified = Arrays.asList(notify);
    closeAfterLastWrite(controller, notified.contains(controllerSide), reason, message);
    closeAfterLastWrite(target, notified.contains(targetSide), reason, message);
  }

  private static void closeAfterLastWrite(
      Channel ch, boolean notify, ErrorCode reason, String message) {
    Object last =
        notify && ch.isActive() ? new Message.Close(reason, message) : Unpooled.EMPTY_BUFFER;
    ch.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Both directions' byte counts are final for a complete session (each side's EOF came after its
   * data); for any other end, bytes still in flight on the other event loop are not counted.
   */
  private void audit(long endedMillis, ErrorCode reason, String message) {
    AuditLog a = core.audit;
    if (a == null) {
      return;
    }
    a.record(
        new AuditRecord(
            id,
            core.config.id(),
            ownerBroker,
            controllerParty,
            targetParty,
            Instant.ofEpochMilli(startedMillis).toString(),
            Instant.ofEpochMilli(endedMillis).toString(),
            controllerSide.dataBytes(),
            targetSide.dataBytes(),
            1,
            reason.name(),
            message));
  }

  /**
   * Ends the session for an operator ({@code switchboard sessions end}): both sides get CLOSE with
   * {@link ErrorCode#ENDED_BY_OPERATOR} and {@code reason}, checked by the caller.
   */
  public void endByOperator(String reason) {
    endBoth(
        ErrorCode.ENDED_BY_OPERATOR,
        reason.isEmpty()
            ? "an operator ended the session"
            : "an operator ended the session: " + reason);
  }

  /** What the admin API lists about this session while it runs. */
  LiveSession live() {
    return new LiveSession(
        id,
        core.config.id(),
        ownerBroker,
        controllerParty,
        targetParty,
        Instant.ofEpochMilli(startedMillis).toString(),
        controllerSide.dataBytes(),
        targetSide.dataBytes());
  }

  /** Ends the session because the broker is shutting down or draining past its deadline. */
  public void shutdown() {
    endBoth(ErrorCode.BROKER_SHUTDOWN, "the broker is shutting down");
  }

  public String id() {
    return id;
  }

  boolean ended() {
    synchronized (this) {
      return ended;
    }
  }
}
