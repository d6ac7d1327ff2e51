package dev.switchboard.broker.internal;

import dev.switchboard.broker.AdminSettings;
import dev.switchboard.config.BearerToken;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The admin listener's pipeline: connection caps (total and per source), a deadline per request,
 * bounded HTTP decoding, then {@link AdminHandler}.
 */
public final class AdminInitializer extends ChannelInitializer<SocketChannel> {
  /** Request line, header block and body limits: admin requests are a line and a few headers. */
  static final int MAX_LINE = 4096;

  static final int MAX_HEADERS = 8192;
  static final int MAX_BODY = 8192;

  private final BrokerCore core;
  private final AdminSettings settings;
  private final AdminHandler handler;
  private final AdminConnectionGuard guard;

  public AdminInitializer(BrokerCore core, BearerToken token, Supplier<String> status) {
    this.core = core;
    this.settings = core.config.admin();
    this.handler = new AdminHandler(core, token, status);
    this.guard =
        new AdminConnectionGuard(
            settings.maxConnections(), settings.maxConnectionsPerSource(), core.metrics);
    core.metrics.adminConnectionsOpen(guard::open);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    // Counted before any byte is read, so a flood of idle connections cannot pass the caps.
    InetSocketAddress from = ch.remoteAddress();
    if (from == null) { // reset before we got to it
      ch.close();
      return;
    }
    AdminConnectionGuard.Entry counted = guard.admit(ch, from.getAddress());
    if (counted == null) {
      return;
    }
    ch.pipeline()
        .addLast(
            new HttpServerCodec(MAX_LINE, MAX_HEADERS, MAX_BODY),
            new HttpObjectAggregator(MAX_BODY),
            new AdminRequestDeadline(
                core.scheduler, settings.requestTimeout(), core.metrics, counted),
            handler);
  }
}
