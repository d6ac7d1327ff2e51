package dev.switchboard.lb.internal;

import dev.switchboard.config.BearerToken;
import dev.switchboard.lb.LbException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.List;

/** The admin HTTP listener: JSON API, {@code /metrics} and {@code /healthz}. */
public final class AdminServer implements AutoCloseable {
  private static final int MAX_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  private static final int MAX_CHUNK = 8192;
  private static final int MAX_BODY = 1 << 20;
  private final Channel channel;

  private AdminServer(Channel channel) {
    this.channel = channel;
  }

  /**
   * Binds {@code address:port} (port 0: ephemeral), serving changes and configuration only to
   * holders of {@code token}; throws PORT_IN_USE if the OS refuses.
   */
  public static AdminServer start(
      LbEngine engine, String address, int port, BearerToken token, List<String> hosts) {
    AdminRouter router = new AdminRouter(engine);
    AdminGuard guard = new AdminGuard(token, address, hosts, engine.metrics());
    ChannelFuture f =
        new ServerBootstrap()
            .group(engine.group())
            .channel(engine.transport().serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(MAX_LINE, MAX_HEADERS, MAX_CHUNK),
                            new HttpObjectAggregator(MAX_BODY),
                            new AdminHandler(router, guard));
                  }
                })
            .bind(new InetSocketAddress(Addresses.parse(address), port))
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new LbException(
          LbException.Code.PORT_IN_USE,
          "cannot listen for the admin API on "
              + address
              + ":"
              + port
              + ": "
              + f.cause().getMessage(),
          f.cause());
    }
    return new AdminServer(f.channel());
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
