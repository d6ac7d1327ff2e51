package dev.switchboard.broker.internal;

import dev.switchboard.broker.PeerConfig;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Ticket;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a peer broker on the mesh listener: only broker certificates are accepted; a Claim for a
 * code this broker issued marks it used, redirects the waiting controller with a signed ticket and
 * tells the claimant whom to expect. A peer that does not read its answers is cut off, as a client
 * is in the control phase (docs/protocol.md, "Limits").
 */
final class MeshServerHandler extends SimpleChannelInboundHandler<Message> {
  private static final Logger log = LoggerFactory.getLogger(MeshServerHandler.class);
  private final BrokerCore core;
  private String peerId;
  // Set once the connection is being closed: messages already decoded are dropped.
  private boolean closing;
  // Answers are flushed once per read, not one by one: a peer that pipelines thousands of requests
  // costs one TLS write per read instead of one per answer.
  private boolean unflushed;

  MeshServerHandler(BrokerCore core) {
    this.core = core;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent hs) {
      if (!hs.isSuccess()) {
        ctx.close();
        return;
      }
      X509Certificate cert =
          (X509Certificate)
              ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates()[0];
      if (Roles.roleOf(cert).orElse(null) != Role.BROKER) {
        log.warn(
            "refused a {} certificate ({}) on the mesh port",
            Roles.roleOf(cert).map(Role::id).orElse("role-less"),
            Roles.nameOf(cert));
        ctx.writeAndFlush(
                new Message.Error(
                    ErrorCode.WRONG_ROLE, "only broker certificates may use the mesh port"))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (core.isRevoked(cert)) {
        log.warn(
            "refused broker {} on the mesh port: its certificate is revoked", Roles.nameOf(cert));
        ctx.writeAndFlush(new Message.Error(ErrorCode.CERT_REVOKED, "certificate is revoked"))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      peerId = Roles.nameOf(cert);
    } else if (evt instanceof IdleStateEvent) {
      if (!ctx.channel().isWritable()) {
        cutOff(ctx); // reads were paused for it and it never caught up
        return;
      }
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  // Backpressure: a peer whose answers pile up past the high-water mark stops being read; an answer
  // that would queue beyond it closes the connection (reply()), and so does the idle timeout if the
  // peer never catches up. So a mesh connection costs at most the mark plus one read.
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
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

  private void reply(ChannelHandlerContext ctx, Message m) {
    if (!ctx.channel().isWritable()) {
      cutOff(ctx);
      return;
    }
    ctx.write(m);
    unflushed = true;
  }

  /** Sends a refusal and closes once it is written; at once if it could never be written. */
  private void refuseAndClose(ChannelHandlerContext ctx, Message.Error error) {
    if (closing) {
      return;
    }
    if (!ctx.channel().isWritable()) {
      cutOff(ctx);
      return;
    }
    closing = true;
    ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
  }

  private void cutOff(ChannelHandlerContext ctx) {
    if (closing) {
      return;
    }
    closing = true;
    core.metrics.meshPeerCutOff();
    log.warn("closing mesh connection from {} ({}): it does not read", peerId, ctx.channel());
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    if (peerId == null || closing) {
      return;
    }
    if (msg instanceof Message.MeshHello h) {
      if (!h.brokerId().equals(peerId)) {
        refuseAndClose(
            ctx,
            new Message.Error(
                ErrorCode.WRONG_ROLE, "certificate is for " + peerId + ", not " + h.brokerId()));
      }
    } else if (msg instanceof Message.Ping p) {
      reply(ctx, new Message.Pong(p.nonce()));
    } else if (msg instanceof Message.Claim c) {
      if (!ctx.channel().isWritable()) {
        cutOff(ctx); // before claiming: a claim whose answer is never sent must not use a code
        return;
      }
      reply(ctx, claim(c));
    } else if (msg instanceof Message.Failures f) {
      charge(f);
    } else if (msg instanceof Message.SessionMoved m) {
      if (m.brokerId().equals(peerId)) {
        core.resumptions.moved(m); // a peer speaks only for the sessions it resumes itself
      }
    } else {
      refuseAndClose(ctx, new Message.Error(ErrorCode.UNEXPECTED_MESSAGE, "not a mesh message"));
    }
  }

  /** Charges a configured peer's failed joins to the same sources here; needs no answer. */
  private void charge(Message.Failures f) {
    if (core.mesh.peer(peerId).isEmpty()) {
      core.metrics.failuresDropped(f.counts().size());
      return;
    }
    for (Message.Failures.Count c : f.counts()) {
      if (core.rateLimiter.charge(c)) {
        core.metrics.failuresReceived(c.kind(), c.failures());
      } else {
        core.metrics.failuresDropped(1);
      }
    }
  }

  private Message.ClaimResult claim(Message.Claim c) {
    if (!c.claimantBrokerId().equals(peerId)) {
      return withId(c, MeshNode.refusal(ErrorCode.WRONG_ROLE));
    }
    Optional<PeerConfig> claimant = core.mesh.peer(peerId);
    if (claimant.isEmpty()) {
      return withId(c, MeshNode.refusal(ErrorCode.OWNER_UNREACHABLE));
    }
    CodeRegistry.Claim local = core.codes.claim(c.code());
    if (!local.ok()) {
      return withId(c, MeshNode.refusal(local.refusal()));
    }
    WaitingController controller = local.controller();
    byte[] ticketId = core.randomBytes(16);
    byte[] fp = controller.fingerprint();
    Ticket ticket =
        Ticket.issue(
            ticketId,
            c.sessionId(),
            core.config.id(),
            peerId,
            fp,
            core.clock.millis() + core.config.ticketTtl().toMillis(),
            core.tls.privateKey());
    PeerConfig to = claimant.get();
    controller.redirect(to.id(), to.hostname(), to.clientAddress().port(), ticket.toBytes());
    log.info(
        "code of controller {} claimed by {}; controller redirected there, session {}",
        controller.name(),
        peerId,
        c.sessionId());
    return new Message.ClaimResult(c.requestId(), null, ticketId, fp, controller.name());
  }

  private static Message.ClaimResult withId(Message.Claim c, Message.ClaimResult r) {
    return new Message.ClaimResult(
        c.requestId(), r.status(), r.ticketId(), r.controllerFingerprint(), r.controllerName());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException pe) {
      refuseAndClose(ctx, new Message.Error(pe.code(), pe.getMessage()));
      return;
    }
    ctx.close();
  }
}
