package dev.switchboard.broker.internal;

import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control phase of one client connection: version negotiation, pings, code requests, joins and
 * attaches, with role enforcement. Hands the channel to a {@link RelaySession} once paired.
 */
public final class ClientConnection extends SimpleChannelInboundHandler<Message>
    implements WaitingController {
  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

  /**
   * Refusals one connection may collect; the next one closes it. A person retyping a code gets a
   * few tries; a script that keeps asking for what it may not have is cut off.
   */
  static final int MAX_REFUSALS = 5;

  private enum State {
    HANDSHAKE,
    NEW,
    READY,
    WAITING,
    JOINING,
    JOINED,
    RESUMING,
    RELAYING
  }

  private final BrokerCore core;
  private final JoinHandling joins;
  private Channel channel;
  private State state = State.HANDSHAKE;
  private Role role;
  private String name = "?";
  private byte[] fingerprint;
  private String serial = "?";
  private String code;
  private int refusals;
  // Set once the connection is being closed: messages already decoded from the same read are
  // dropped instead of answered.
  private boolean closing;
  // Replies to requests from one read are flushed together when the read completes: a client that
  // pipelines thousands of PINGs costs one TLS write per read, not one per PONG, and cannot hold
  // the event loop (and every connection on it) with thousands of small writes.
  private boolean reading;
  private boolean unflushed;

  public ClientConnection(BrokerCore core) {
    this.core = core;
    this.joins = new JoinHandling(core, this);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    core.metrics.connectionsOpen.incrementAndGet();
    core.metrics.connectionsTotal.inc();
    // Counted down on close, not in channelInactive: this handler leaves the pipeline when
    // relaying.
    channel.closeFuture().addListener(f -> core.metrics.connectionsOpen.decrementAndGet());
    ctx.fireChannelActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (code != null && state == State.WAITING) {
      core.codes.abandon(code);
    }
    joins.connectionLost();
    if (state == State.RESUMING) {
      core.resumptions.lost(this);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (!hs.isSuccess()) {
        core.metrics.handshakeFailures.inc();
        log.debug(
            "TLS handshake with {} failed: {}",
            ctx.channel().remoteAddress(),
            hs.cause().getMessage());
        ctx.close();
        return;
      }
      identifyPeer(ctx);
    } else if (evt instanceof IdleStateEvent && state != State.RELAYING) {
      if (!ctx.channel().isWritable()) {
        cutOff(ErrorCode.NOT_READING); // reads were paused for it and it never caught up
        return;
      }
      refuseAndClose(
          ErrorCode.HANDSHAKE_TIMEOUT,
          "no request within " + core.config.controlTimeout().toSeconds() + "s");
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void identifyPeer(ChannelHandlerContext ctx) {
    try {
      X509Certificate cert =
          (X509Certificate)
              ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates()[0];
      if (core.isRevoked(cert)) {
        log.warn(
            "refused {}: certificate serial {} is revoked",
            Roles.nameOf(cert),
            cert.getSerialNumber().toString(16));
        refuseAndClose(ErrorCode.CERT_REVOKED, "certificate " + Roles.nameOf(cert) + " is revoked");
        return;
      }
      Optional<Role> r = Roles.roleOf(cert);
      if (r.isEmpty()) {
        refuseAndClose(ErrorCode.WRONG_ROLE, "certificate carries no Switchboard role");
        return;
      }
      serial = cert.getSerialNumber().toString(16);
      identified(r.get(), Roles.nameOf(cert), fingerprint(cert));
    } catch (SSLPeerUnverifiedException | CertificateEncodingException e) {
      ctx.close();
    }
  }

  /** The peer proved who it is (its TLS certificate); from now on it may send HELLO. */
  void identified(Role role, String name, byte[] fingerprint) {
    this.role = role;
    this.name = name;
    this.fingerprint = fingerprint;
    state = State.NEW;
  }

  // Backpressure in the control phase (docs/protocol.md, "Limits"): a client that does not read
  // its replies stops being read once the outbound buffer passes its high-water mark; a reply that
  // would have to queue beyond it closes the connection (reply()), and so does the control timeout
  // if it never catches up. So a connection costs at most the high-water mark plus one read.
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
    if (!ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && !closing) {
      ctx.channel().config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    reading = true;
    super.channelRead(ctx, msg);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    if (closing) {
      return;
    }
    if (state == State.HANDSHAKE) {
      return; // cannot happen: the TLS handler only passes data after the handshake
    }
    if (state == State.NEW && !(msg instanceof Message.Hello)) {
      refuseAndClose(ErrorCode.UNEXPECTED_MESSAGE, "first message must be HELLO");
      return;
    }
    if (msg instanceof Message.Hello h) {
      hello(h);
    } else if (msg instanceof Message.Ping p) {
      reply(new Message.Pong(p.nonce()));
    } else if (msg instanceof Message.CodeRequest) {
      requestCode();
    } else if (msg instanceof Message.Join j) {
      if (requireRole(Role.TARGET, "join a session") && requireState(State.READY, "JOIN")) {
        state = State.JOINING;
        joins.join(j.code());
      }
    } else if (msg instanceof Message.Resume r) {
      if (requireState(State.READY, "RESUME")) {
        core.resumptions.offer(this, r);
      }
    } else if (msg instanceof Message.Attach a) {
      if (requireRole(Role.CONTROLLER, "attach to a session")
          && requireState(State.READY, "ATTACH")) {
        joins.attach(a.ticket());
      }
    } else {
      refuseAndClose(
          ErrorCode.UNEXPECTED_MESSAGE,
          "message type 0x" + Integer.toHexString(msg.type()) + " not allowed from a client");
    }
  }

  private void hello(Message.Hello h) {
    if (state != State.NEW) {
      refuseAndClose(ErrorCode.UNEXPECTED_MESSAGE, "HELLO sent twice");
      return;
    }
    int version = Math.min(h.maxVersion(), Frames.VERSION);
    if (version < Math.max(h.minVersion(), Frames.MIN_VERSION)) {
      refuseAndClose(
          ErrorCode.UNSUPPORTED_VERSION,
          "client speaks "
              + h.minVersion()
              + "-"
              + h.maxVersion()
              + ", broker speaks "
              + Frames.MIN_VERSION
              + "-"
              + Frames.VERSION);
      return;
    }
    state = State.READY;
    reply(new Message.HelloOk(version, core.config.id()));
  }

  private void requestCode() {
    if (!requireRole(Role.CONTROLLER, "request a connection code")
        || !requireState(State.READY, "CODE_REQUEST")) {
      return;
    }
    if (core.draining.get()) {
      refuse(
          ErrorCode.DRAINING,
          "broker " + core.config.id() + " is draining; connect to another broker");
      return;
    }
    code = core.codes.issue(this);
    state = State.WAITING;
    core.metrics.codesIssued.inc();
    log.info("code issued to controller {} ({})", name, source());
    reply(new Message.Code(ConnectionCodes.display(code), core.codes.expiresAt(code)));
  }

  private boolean requireRole(Role needed, String what) {
    if (role == needed) {
      return true;
    }
    // Nothing useful can follow: the certificate's role will not change on this connection.
    refuseAndClose(
        ErrorCode.WRONG_ROLE,
        "a " + role.id() + " certificate may not " + what + "; only a " + needed.id() + " may");
    return false;
  }

  private boolean requireState(State needed, String what) {
    if (state == needed) {
      return true;
    }
    refuseAndClose(
        ErrorCode.UNEXPECTED_MESSAGE,
        what + " not allowed now (connection is " + state.name().toLowerCase() + ")");
    return false;
  }

  /**
   * Sends a refusal; the connection stays usable until it has collected {@link #MAX_REFUSALS}, then
   * this one closes it.
   */
  void refuse(ErrorCode code, String message) {
    if (++refusals >= MAX_REFUSALS) {
      core.metrics.clientCutOff(ErrorCode.TOO_MANY_REFUSALS);
      refuseAndClose(
          code, message + "; closing after " + refusals + " refused requests on this connection");
      return;
    }
    reply(new Message.Error(code, message));
  }

  /** Sends a refusal and closes the connection after it is written. */
  void refuseAndClose(ErrorCode code, String message) {
    if (closing) {
      return;
    }
    if (!channel.isWritable()) {
      cutOff(ErrorCode.NOT_READING); // the refusal would never be read, nor its write complete
      return;
    }
    closing = true;
    channel
        .writeAndFlush(new Message.Error(code, message))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void cutOff(ErrorCode reason) {
    closing = true;
    core.metrics.clientCutOff(reason);
    log.debug("closing {} ({}): {}", name, channel.remoteAddress(), reason.sentence());
    channel.close();
  }

  /**
   * Writes a control reply, or closes the connection when the client has let the broker's replies
   * pile up past the high-water mark: it is not reading, and queueing more would let it grow the
   * broker's memory without bound. A reply to a request is flushed when its read completes; one
   * that answers something else (a mesh claim, a pairing) at once.
   */
  void reply(Message m) {
    if (closing) {
      return;
    }
    if (!channel.isWritable()) {
      cutOff(ErrorCode.NOT_READING);
      return;
    }
    if (reading) {
      channel.write(m);
      unflushed = true;
    } else {
      channel.writeAndFlush(m);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException pe) {
      log.debug("protocol error from {}: {}", ctx.channel().remoteAddress(), pe.getMessage());
      refuseAndClose(pe.code(), pe.getMessage());
      return;
    }
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      ctx.close(); // handshake failure; counted by the handshake completion event
      return;
    }
    log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  // --- state transitions driven by JoinHandling and the relay ---

  void joinedRemotely(String sessionId) {
    state = State.JOINED;
    reply(new Message.Joined(sessionId));
  }

  void joinFailed() {
    state = State.READY;
  }

  void relaying() {
    state = State.RELAYING;
  }

  /** Parked until the session's other side resumes too; it may only PING meanwhile. */
  void resuming() {
    state = State.RESUMING;
  }

  Role role() {
    return role;
  }

  // --- WaitingController ---

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  @Override
  public boolean isConnected() {
    return channel.isActive();
  }

  @Override
  public void pairLocally(ClientConnection target, String sessionId) {
    channel.eventLoop().execute(this::relaying);
    target
        .channel
        .eventLoop()
        .execute(
            () -> {
              target.relaying();
              target.channel.write(new Message.Joined(sessionId));
            });
    RelaySession.start(core, sessionId, this, target, core.config.id());
  }

  @Override
  public void redirect(String brokerId, String host, int port, byte[] ticket) {
    core.metrics.redirects.inc();
    channel.writeAndFlush(new Message.Redirect(brokerId, host, port, ticket));
  }

  Channel channel() {
    return channel;
  }

  InetAddress source() {
    return sourceAddress().getAddress();
  }

  /** The client's address and port: from the PROXY header when a load balancer sent one. */
  InetSocketAddress sourceAddress() {
    InetSocketAddress real = channel.attr(ProxiedSource.KEY).get();
    return real != null ? real : (InetSocketAddress) channel.remoteAddress();
  }

  /** Who this client is, for the audit log. */
  AuditRecord.Party party() {
    return new AuditRecord.Party(name, serial, HostPort.of(sourceAddress()).toString());
  }

  static byte[] fingerprint(X509Certificate cert) throws CertificateEncodingException {
    try {
      return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
