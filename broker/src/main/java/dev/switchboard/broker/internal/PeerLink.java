package dev.switchboard.broker.internal;

import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Transports;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameDecoder;
import dev.switchboard.protocol.FrameEncoder;
import dev.switchboard.protocol.Message;
import dev.switchboard.time.BackoffPolicy;
import dev.switchboard.time.ExponentialBackoff;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound mesh link to one peer: mTLS (the peer must present a broker certificate for its own
 * id), a heartbeat every 2 s, declared dead after 6 s of silence, and reconnect with exponential
 * backoff from 100 ms to 5 s (±20% jitter, so a restarted broker is not redialled by every peer at
 * once).
 */
final class PeerLink {
  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
  private final BrokerCore core;
  private final PeerConfig peer;
  private final SslContext ssl;
  private final EventLoopGroup group;
  private final AtomicLong requestIds = new AtomicLong();
  private final Map<Long, CompletableFuture<Message.ClaimResult>> inFlight =
      new ConcurrentHashMap<>();
  private volatile Channel channel;
  private volatile X509Certificate certificate;
  private volatile boolean up;
  private volatile boolean closed;
  private final BackoffPolicy backoff =
      ExponentialBackoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));
  private long reconnects;

  PeerLink(BrokerCore core, PeerConfig peer, SslContext ssl, EventLoopGroup group) {
    this.core = core;
    this.peer = peer;
    this.ssl = ssl;
    this.group = group;
  }

  void connect() {
    if (closed) {
      return;
    }
    new Bootstrap()
        .group(group)
        .channel(Transports.channel())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                SslHandler tls =
                    ssl.newHandler(ch.alloc(), peer.hostname(), peer.meshAddress().port());
                ch.pipeline()
                    .addLast(
                        tls,
                        new IdleStateHandler(
                            MeshNode.DEAD_AFTER_MS,
                            MeshNode.HEARTBEAT_MS,
                            0,
                            TimeUnit.MILLISECONDS),
                        new FrameDecoder(),
                        new FrameEncoder(),
                        new Handler());
              }
            })
        .connect(peer.meshAddress().toSocketAddress())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                scheduleReconnect();
              }
            });
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    reconnects++;
    core.scheduler.schedule(this::connect, backoff.nextDelay());
  }

  CompletableFuture<Message.ClaimResult> claim(String code, String sessionId) {
    Channel ch = channel;
    CompletableFuture<Message.ClaimResult> f = new CompletableFuture<>();
    if (ch == null || !up) {
      f.complete(MeshNode.refusal(ErrorCode.OWNER_UNREACHABLE));
      return f;
    }
    long id = requestIds.incrementAndGet();
    inFlight.put(id, f);
    f.whenComplete((r, e) -> inFlight.remove(id));
    ch.writeAndFlush(new Message.Claim(id, code, core.config.id(), sessionId));
    return f;
  }

  /**
   * Sends a message that needs no answer; false (and nothing sent) while the link is down or its
   * outbound buffer is over the high-water mark: the peer is not keeping up.
   */
  boolean send(Message m) {
    Channel ch = channel;
    if (ch == null || !up || !ch.isWritable()) {
      return false;
    }
    ch.writeAndFlush(m);
    return true;
  }

  boolean isUp() {
    return up;
  }

  X509Certificate certificate() {
    return certificate;
  }

  PeerConfig config() {
    return peer;
  }

  long reconnects() {
    return reconnects;
  }

  void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<Message> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof SslHandshakeCompletionEvent hs) {
        if (!hs.isSuccess()) {
          log.debug("mesh link to {} failed TLS: {}", peer.id(), hs.cause().getMessage());
          ctx.close();
          return;
        }
        X509Certificate cert =
            (X509Certificate)
                ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates()[0];
        if (Roles.roleOf(cert).orElse(null) != Role.BROKER
            || !Roles.nameOf(cert).equals(peer.id())) {
          log.warn(
              "mesh peer at {} presented {} ({}), expected broker {}",
              peer.meshAddress(),
              Roles.nameOf(cert),
              Roles.roleOf(cert).map(Role::id).orElse("no role"),
              peer.id());
          ctx.close();
          return;
        }
        certificate = cert;
        channel = ctx.channel();
        up = true;
        backoff.reset();
        ctx.writeAndFlush(new Message.MeshHello(core.config.id()));
        log.info("mesh link {} -> {} up", core.config.id(), peer.id());
      } else if (evt instanceof IdleStateEvent idle) {
        if (idle.state() == IdleState.WRITER_IDLE) {
          ctx.writeAndFlush(new Message.Ping(System.nanoTime()));
        } else {
          log.warn(
              "mesh peer {} silent for {} ms; reconnecting", peer.id(), MeshNode.DEAD_AFTER_MS);
          ctx.close();
        }
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
      if (msg instanceof Message.ClaimResult r) {
        CompletableFuture<Message.ClaimResult> f = inFlight.get(r.requestId());
        if (f != null) {
          f.complete(r);
        }
      }
      // Pongs need no handling: any read resets the idle timer.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      boolean wasUp = up;
      up = false;
      channel = null;
      inFlight.values().forEach(f -> f.complete(MeshNode.refusal(ErrorCode.OWNER_UNREACHABLE)));
      if (wasUp && !closed) {
        log.info("mesh link {} -> {} down", core.config.id(), peer.id());
      }
      scheduleReconnect();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
