package dev.switchboard.broker.internal;

import dev.switchboard.protocol.FrameDecoder;
import dev.switchboard.protocol.FrameEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Assembles a client connection's pipeline: [PROXY v2] → TLS → idle → frames → control. */
public final class ClientInitializer extends ChannelInitializer<SocketChannel> {
  private static final FrameEncoder ENCODER = new FrameEncoder();
  private final BrokerCore core;
  // Replaced by a certificate reload (SIGHUP); a connection keeps the context it started with.
  private volatile SslContext ssl;

  public ClientInitializer(BrokerCore core, SslContext ssl) {
    this.core = core;
    this.ssl = ssl;
  }

  /** New connections use {@code next} from now on. */
  public void use(SslContext next) {
    ssl = next;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    if (core.config.proxyProtocol()) {
      p.addLast(
          PipelineNames.PROXY,
          new ProxyHeaderHandler(
              ProxyHeaderHandler.within(core.config.trustedProxies()), core.metrics));
    }
    SslHandler tls = ssl.newHandler(ch.alloc());
    tls.setHandshakeTimeoutMillis(core.config.handshakeTimeout().toMillis());
    p.addLast(PipelineNames.TLS, tls);
    p.addLast(
        PipelineNames.IDLE,
        new IdleStateHandler(core.config.controlTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    p.addLast(PipelineNames.DECODER, new FrameDecoder());
    p.addLast(PipelineNames.ENCODER, ENCODER);
    p.addLast(PipelineNames.CONTROL, new ClientConnection(core));
  }
}
