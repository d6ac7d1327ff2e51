package dev.switchboard.broker.internal;

import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Transports;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.FrameDecoder;
import dev.switchboard.protocol.FrameEncoder;
import dev.switchboard.protocol.Message;
import dev.switchboard.time.Scheduler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This broker's place in the mesh: a listener that answers peers' claims, and one outbound link per
 * configured peer (mTLS, heartbeats, reconnect with backoff) used to claim codes they own.
 */
public final class MeshNode implements Mesh {
  static final long HEARTBEAT_MS = 2000;
  static final long DEAD_AFTER_MS = 6000;
  static final long CLAIM_TIMEOUT_MS = 3000;

  private final BrokerCore core;
  private final Channel listener;
  private final Map<String, PeerLink> links = new LinkedHashMap<>();
  private FailureSharing sharing;

  private MeshNode(BrokerCore core, Channel listener) {
    this.core = core;
    this.listener = listener;
  }

  /** Binds the mesh listener and starts dialling every peer. */
  public static MeshNode start(BrokerCore core, EventLoopGroup boss, EventLoopGroup workers)
      throws Exception {
    SslContext server = TlsContexts.server(core.tls);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(Transports.serverChannel())
            // Peers send a ping every 2 s and a claim per join: small reads, one at a time per loop
            // turn, and a small send buffer let a peer that floods without reading be found out
            // (and cut off) after a little work, not after the kernel buffered megabytes of
            // answers while other links on the same event loop waited.
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(16 * 1024, 64 * 1024))
            .childOption(ChannelOption.SO_SNDBUF, 64 * 1024)
            .childOption(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(16 * 1024).maxMessagesPerRead(1))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel c) {
                    SslHandler tls = server.newHandler(c.alloc());
                    tls.setHandshakeTimeoutMillis(core.config.handshakeTimeout().toMillis());
                    c.pipeline()
                        .addLast(
                            tls,
                            new IdleStateHandler(DEAD_AFTER_MS * 3, 0, 0, TimeUnit.MILLISECONDS),
                            new FrameDecoder(),
                            new FrameEncoder(),
                            new MeshServerHandler(core));
                  }
                });
    Channel ch = Listeners.bind("mesh", core.config.meshListen(), bootstrap);
    MeshNode node = new MeshNode(core, ch);
    SslContext client = TlsContexts.meshClient(core.tls);
    for (PeerConfig p : core.config.peers()) {
      if (p.id().equals(core.config.id())) {
        continue;
      }
      PeerLink link = new PeerLink(core, p, client, workers);
      node.links.put(p.id(), link);
      core.metrics.peerUp(p.id(), link::isUp);
      link.connect();
    }
    if (!node.links.isEmpty()) {
      node.sharing = new FailureSharing(core, List.copyOf(node.links.values()));
      node.sharing.start();
    }
    return node;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void sessionMoved(Message.SessionMoved m) {
    for (PeerLink link : links.values()) {
      if (link.isUp()) {
        link.send(m);
      }
    }
  }

  @Override
  public CompletableFuture<Claimed> claim(String code, String sessionId) {
    List<CompletableFuture<Claimed>> asks = new ArrayList<>();
    for (PeerLink link : links.values()) {
      if (link.isUp()) {
        String peerId = link.config().id();
        CompletableFuture<Claimed> ask =
            link.claim(code, sessionId).thenApply(r -> new Claimed(peerId, r));
        Scheduler.Cancellable timeout =
            core.scheduler.schedule(
                () -> ask.complete(Claimed.refused(ErrorCode.OWNER_UNREACHABLE)),
                Duration.ofMillis(CLAIM_TIMEOUT_MS));
        ask.whenComplete((r, err) -> timeout.cancel());
        asks.add(ask);
      }
    }
    CompletableFuture<Claimed> result = new CompletableFuture<>();
    if (asks.isEmpty()) {
      result.complete(Claimed.refused(ErrorCode.CODE_UNKNOWN));
      return result;
    }
    AtomicInteger left = new AtomicInteger(asks.size());
    List<Claimed> refusals = Collections.synchronizedList(new ArrayList<>());
    for (CompletableFuture<Claimed> ask : asks) {
      ask.whenComplete(
          (r, err) -> {
            Claimed answer = err != null ? Claimed.refused(ErrorCode.OWNER_UNREACHABLE) : r;
            if (answer.ok()) {
              result.complete(answer);
            } else {
              refusals.add(answer);
            }
            if (left.decrementAndGet() == 0) {
              result.complete(mostTelling(refusals));
            }
          });
    }
    return result;
  }

  /**
   * A definite answer (used, expired, gone) from the owner beats "I don't know it" from the rest.
   */
  private static Claimed mostTelling(List<Claimed> refusals) {
    synchronized (refusals) {
      for (Claimed c : refusals) {
        ErrorCode status = c.result().status();
        if (status != ErrorCode.CODE_UNKNOWN && status != ErrorCode.OWNER_UNREACHABLE) {
          return c;
        }
      }
    }
    return Claimed.refused(ErrorCode.CODE_UNKNOWN);
  }

  static Message.ClaimResult refusal(ErrorCode code) {
    return new Message.ClaimResult(0, code, new byte[0], new byte[0], "");
  }

  @Override
  public Optional<X509Certificate> peerCertificate(String brokerId) {
    PeerLink l = links.get(brokerId);
    return l == null ? Optional.empty() : Optional.ofNullable(l.certificate());
  }

  @Override
  public Optional<PeerConfig> peer(String brokerId) {
    PeerLink l = links.get(brokerId);
    return l == null ? Optional.empty() : Optional.of(l.config());
  }

  /** True when the link to every configured peer is up. */
  public boolean allLinksUp() {
    return links.values().stream().allMatch(PeerLink::isUp);
  }

  /** The ids of the configured peers whose link is not up, in configuration order. */
  public List<String> peersDown() {
    return links.values().stream().filter(l -> !l.isUp()).map(l -> l.config().id()).toList();
  }

  /** Peer states for {@code /status}. */
  public String peersJson() {
    StringBuilder sb = new StringBuilder("[");
    for (PeerLink l : links.values()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"id\":\"")
          .append(l.config().id())
          .append("\",\"up\":")
          .append(l.isUp())
          .append(",\"reconnects\":")
          .append(l.reconnects())
          .append('}');
    }
    return sb.append(']').toString();
  }

  public void close() {
    if (sharing != null) {
      sharing.close();
    }
    for (PeerLink l : links.values()) {
      l.close();
    }
    listener.close().syncUninterruptibly();
  }
}
