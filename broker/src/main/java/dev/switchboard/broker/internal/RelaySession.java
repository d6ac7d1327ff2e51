package dev.switchboard.broker.internal;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ResumeCredential.Side;
import dev.switchboard.time.Scheduler;
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
 * One generation of a relayed session between a controller and a target channel: the first pairing
 * (generation 1) or a resumption after the relay broke (docs/protocol.md, "Resumption"). Owns the
 * switch from control phase to relay phase, the sides' resumption credentials, and the single,
 * reasoned end of this relay.
 */
public final class RelaySession {
  private static final Logger log = LoggerFactory.getLogger(RelaySession.class);
  private final BrokerCore core;
  private final String id;
  private final int generation;
  private final RelayHandler controllerSide;
  private final RelayHandler targetSide;
  // Held here, not read from the handlers: a side whose relay handler is not installed yet (its
  // event loop has not run install) must still be closed when the session ends.
  private final Channel controller;
  private final Channel target;
  private final ClientConnection controllerConn;
  private final ClientConnection targetConn;
  private final long startedMillis;
  private final String ownerBroker;
  private final String resumedFrom;
  private final AuditRecord.Party controllerParty;
  private final AuditRecord.Party targetParty;
  private int installed;
  private boolean ended;
  private Scheduler.Cancellable refresh;

  private RelaySession(
      BrokerCore core,
      String id,
      int generation,
      ClientConnection controller,
      ClientConnection target,
      String owner,
      String resumedFrom) {
    this.core = core;
    this.id = id;
    this.generation = generation;
    this.controllerConn = controller;
    this.targetConn = target;
    this.controller = controller.channel();
    this.target = target.channel();
    this.startedMillis = core.clock.millis();
    this.ownerBroker = owner;
    this.resumedFrom = resumedFrom;
    this.controllerParty = controller.party();
    this.targetParty = target.party();
    this.controllerSide = new RelayHandler(this, "controller", core.metrics);
    this.targetSide = new RelayHandler(this, "target", core.metrics);
    controllerSide.peer(targetSide, this.target);
    targetSide.peer(controllerSide, this.controller);
  }

  /**
   * Starts relaying a newly paired session: each channel gets SESSION_START naming its peer and its
   * first resumption credential, its control handlers are replaced by a relay handler, and reading
   * starts once both sides are switched.
   *
   * @param ownerBroker the broker that issued the controller's code (for the audit log)
   */
  static RelaySession start(
      BrokerCore core,
      String id,
      ClientConnection controllerConn,
      ClientConnection targetConn,
      String ownerBroker) {
    RelaySession s = new RelaySession(core, id, 1, controllerConn, targetConn, ownerBroker, "");
    s.begin(
        new Message.SessionStart(id, targetConn.name()),
        new Message.SessionStart(id, controllerConn.name()));
    return s;
  }

  /**
   * Starts relaying a resumed session: each side learns how much of its stream the other side
   * received (it retransmits the rest) and gets a credential for the new generation.
   */
  static RelaySession resume(
      BrokerCore core,
      String id,
      int generation,
      ClientConnection controllerConn,
      Message.Resume fromController,
      ClientConnection targetConn,
      Message.Resume fromTarget,
      String previousBroker) {
    RelaySession s =
        new RelaySession(
            core, id, generation, controllerConn, targetConn, previousBroker, previousBroker);
    core.metrics.sessionsResumed.inc();
    s.begin(
        new Message.SessionResumed(
            id,
            targetConn.name(),
            generation,
            fromTarget.receivedBytes(),
            fromTarget.receivedEof()),
        new Message.SessionResumed(
            id,
            controllerConn.name(),
            generation,
            fromController.receivedBytes(),
            fromController.receivedEof()));
    return s;
  }

  private void begin(Message toController, Message toTarget) {
    core.sessions.add(this);
    core.metrics.sessionsActive.incrementAndGet();
    if (generation == 1) {
      core.metrics.sessionsTotal.inc();
    }
    controller
        .eventLoop()
        .execute(
            () ->
                install(controller, controllerSide, toController, credentialFor(Side.CONTROLLER)));
    target
        .eventLoop()
        .execute(() -> install(target, targetSide, toTarget, credentialFor(Side.TARGET)));
    long every = core.config.credentialRefresh().toMillis();
    refresh = core.scheduler.schedule(this::refreshCredentials, java.time.Duration.ofMillis(every));
    log.info(
        "session {} {}: controller {} <-> target {}",
        id,
        generation == 1 ? "started" : "resumed (generation " + generation + ")",
        controllerConn.name(),
        targetConn.name());
  }

  private Message.Credential credentialFor(Side side) {
    ClientConnection holder = side == Side.CONTROLLER ? controllerConn : targetConn;
    ClientConnection peer = side == Side.CONTROLLER ? targetConn : controllerConn;
    return new Message.Credential(
        core.resumeCredentials.issue(
            id, side, generation, holder.fingerprint(), peer.fingerprint(), peer.name()));
  }

  /** Sends each side a fresh credential, between two of the other side's frames. */
  private void refreshCredentials() {
    if (ended()) {
      return;
    }
    // The target side's handler writes to the controller, and the other way round.
    targetSide.inject(credentialFor(Side.CONTROLLER));
    controllerSide.inject(credentialFor(Side.TARGET));
    refresh = core.scheduler.schedule(this::refreshCredentials, core.config.credentialRefresh());
  }

  private void install(Channel ch, RelayHandler handler, Message first, Message credential) {
    ch.config().setAutoRead(false);
    ch.write(first);
    ch.writeAndFlush(credential);
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

  /** Ends the session because of something neither side did (idle, malformed frame, shutdown). */
  void endBoth(ErrorCode reason, String message) {
    end(reason, message, controllerSide, targetSide);
  }

  /**
   * A side's connection was lost: the relay ends, and the other side is told to resume (both
   * reconnect and the session goes on within the resume window).
   */
  void suspend(String why) {
    endBoth(ErrorCode.SESSION_SUSPENDED, why + "; resume the session");
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
      ended = true;
    }
    if (refresh != null) {
      refresh.cancel();
    }
    core.sessions.remove(this);
    core.metrics.sessionsActive.decrementAndGet();
    core.metrics.sessionEnded(reason);
    long endedMillis = core.clock.millis();
    core.metrics.sessionSeconds.observe((endedMillis - startedMillis) / 1000.0);
    log.info("session {} ended: {} ({})", id, reason, message);
    if (reason != ErrorCode.SESSION_SUSPENDED && reason != ErrorCode.BROKER_SHUTDOWN) {
      core.resumptions.ended(id, generation); // a final end: no credential resumes it
    }
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
   * Both directions' byte counts are final for a complete session (each side's CLOSE came after its
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
            message,
            generation,
            resumedFrom));
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

  /** Ends the session because the broker is shutting down; the clients resume it elsewhere. */
  public void shutdown() {
    endBoth(ErrorCode.BROKER_SHUTDOWN, "the broker is shutting down; resume the session");
  }

  public String id() {
    return id;
  }

  int generation() {
    return generation;
  }

  boolean ended() {
    synchronized (this) {
      return ended;
    }
  }
}
