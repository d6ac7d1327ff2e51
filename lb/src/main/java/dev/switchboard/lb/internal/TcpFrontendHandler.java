package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Per accepted connection: picks a backend, connects (retrying other backends on failure), then
 * hands both channels to {@link RelayHandler}s; refuses with RST when no backend is left.
 *
 * <p>One shared instance serves every connection of a rule; the per-connection state lives in a
 * {@link Conn}, which is also the connect and close listener, so accepting allocates little and
 * never builds a {@code Bootstrap}: the upstream channel is created and registered directly on the
 * accepted channel's event loop.
 */
@ChannelHandler.Sharable
final class TcpFrontendHandler extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<Conn> CONN = AttributeKey.valueOf("lb.conn");
  private final RuleRuntime rule;
  private final Transport transport;

  TcpFrontendHandler(RuleRuntime rule, Transport transport) {
    this.rule = rule;
    this.transport = transport;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel in = ctx.channel();
    rule.counters.connections.inc();
    rule.counters.active.inc();
    RuleView view = rule.view();
    Conn c = new Conn(ctx, view);
    in.attr(CONN).set(c);
    in.closeFuture().addListener(c);
    if (view.trusts(in.remoteAddress())) {
      // A proxy in front: the client is named in the header it must send first, and the backend
      // is chosen for that client (ProxyHeaderReader fires Proxied).
      ctx.pipeline()
          .addBefore(
              ctx.name(),
              ProxyHeaderReader.NAME,
              new ProxyHeaderReader(view.rule.connectTimeout(), rule.counters.proxyInvalid));
      in.read();
      return;
    }
    c.start((InetSocketAddress) in.remoteAddress(), (InetSocketAddress) in.localAddress());
  }

  /**
   * Bytes that arrive before the backend connection is up. Reading is off until then, but when a
   * client sends its request and its FIN at once, the kernel's end-of-input notification makes
   * Netty read anyway; those bytes are kept here and replayed into the relay once the backend is
   * connected.
   */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Conn c = ctx.channel().attr(CONN).get();
    if (c == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    c.early.add((ByteBuf) msg);
  }

  /**
   * A FIN before the backend connection is up is passed on after the early bytes; a trusted proxy's
   * header names the client to choose a backend for.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    Conn c = ctx.channel().attr(CONN).get();
    if (evt instanceof ProxyHeaderReader.Proxied p && c != null) {
      c.start(p.client(), p.dialled());
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent && c != null) {
      c.earlyFin = true;
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** One relayed connection from accept to close. */
  private final class Conn implements ChannelFutureListener {
    private final ChannelHandlerContext ctx;
    private final Channel in;
    private final RuleView view;
    private long hash;
    // The client and the address it dialled: the connection's own, or a trusted proxy's header's.
    private InetSocketAddress client;
    private InetSocketAddress dialled;
    private Set<RuleBackend> failed;
    private int attempt;
    private RuleBackend target;
    private Channel out;
    private Relay relay;
    private IdleSweep.Entry idle;
    private IdleSweep.Entry connecting;
    private boolean registered;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>(2);
    private boolean earlyFin;

    Conn(ChannelHandlerContext ctx, RuleView view) {
      this.ctx = ctx;
      this.in = ctx.channel();
      this.view = view;
    }

    void start(InetSocketAddress client, InetSocketAddress dialled) {
      this.client = client;
      this.dialled = dialled;
      hash =
          FlowKey.hash(
              view.rule.distribution(), client, (InetSocketAddress) in.localAddress(), false);
      connect();
    }

    void connect() {
      RuleBackend t =
          attempt < view.rule.connectAttempts()
              ? view.selector.select(hash, attempt, failed == null ? Set.of() : failed)
              : null;
      if (t == null) {
        rule.counters.refused.inc();
        Relay.reset(in);
        return;
      }
      target = t;
      Channel ch = transport.newSocketChannel(t.address);
      SocketChannelConfig cfg = (SocketChannelConfig) ch.config();
      cfg.setAutoRead(false); // TCP_NODELAY is Netty's default: setting it again is a syscall
      // Half-close passes through: a FIN from one side becomes a FIN toward the other
      // (RelayHandler);
      // the accepted side has it from the listener's child options.
      cfg.setAllowHalfClosure(true);
      // No Netty connect timer (a scheduled task and a cancel per connection): the event loop's
      // IdleSweep closes an attempt that has not connected in time (see afterRegister).
      cfg.setConnectTimeoutMillis(0);
      if (view.source != null && ch instanceof EpollSocketChannel) {
        // Take the port at connect time, per destination: a port bound in advance would be held
        // for every destination, capping the source address at one ephemeral range in total.
        cfg.setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
      }
      out = ch;
      registered = false;
      ChannelFuture reg = in.eventLoop().register(ch);
      if (reg.isDone()) {
        registered = true;
        afterRegister(reg);
      } else {
        reg.addListener(this);
      }
    }

    private void afterRegister(ChannelFuture reg) {
      if (!reg.isSuccess()) {
        reg.channel().unsafe().closeForcibly();
        connectFailed();
        return;
      }
      ChannelFuture f =
          view.source == null
              ? reg.channel().connect(target.address)
              : reg.channel().connect(target.address, view.source);
      if (!f.isDone()) {
        Channel ch = reg.channel();
        connecting = IdleSweep.deadline(ch, view.rule.connectTimeout(), ch::close);
      }
      f.addListener(this);
    }

    @Override
    public void operationComplete(ChannelFuture f) {
      Channel ch = f.channel();
      if (ch == in) {
        closed();
      } else if (ch != out) {
        ch.close(); // a stale attempt
      } else if (!registered) {
        registered = true;
        afterRegister(f); // registration done, now connect
      } else {
        stopConnectWatch();
        if (!in.isActive()) {
          ch.close();
        } else if (f.isSuccess()) {
          established();
        } else {
          ch.close(); // failed, refused, or closed by the connect timeout
          connectFailed();
        }
      }
    }

    private void stopConnectWatch() {
      if (connecting != null) {
        connecting.remove();
        connecting = null;
      }
    }

    private void connectFailed() {
      target.counters.connectFailures.inc();
      if (failed == null) {
        failed = new HashSet<>(4);
      }
      failed.add(target);
      attempt++;
      connect();
    }

    private void closed() {
      early.forEach(ByteBuf::release);
      early.clear();
      rule.counters.active.dec();
      stopConnectWatch();
      if (relay != null) {
        target.relays.remove(relay);
        target.counters.active.dec();
      } else if (out != null) {
        out.close();
      }
      if (idle != null) {
        idle.remove();
      }
    }

    private void established() {
      Relay r = new Relay(in, out);
      relay = r;
      target.counters.connections.inc();
      target.counters.active.inc();
      target.relays.add(r);
      boolean tcpReset = view.rule.tcpReset();
      idle = IdleSweep.watch(in, view.rule.idleTimeout(), tcpReset ? r::reset : r::close);
      out.pipeline()
          .addLast(new RelayHandler(in, rule.counters.bytesOut, target.counters.bytesOut, idle));
      ctx.pipeline()
          .replace(
              TcpFrontendHandler.this,
              "relay",
              new RelayHandler(out, rule.counters.bytesIn, target.counters.bytesIn, idle));
      if (view.screensProxyHeaders()) {
        in.pipeline()
            .addBefore("relay", ProxyScreen.NAME, new ProxyScreen(rule.counters.proxyForged));
      }
      if (view.rule.proxyProtocol()) {
        // Always our own header: the accepted one's addresses, never its bytes.
        out.writeAndFlush(Unpooled.wrappedBuffer(ProxyV2.header(client, dialled, false)));
      }
      RelayHandler.readOn(out);
      RelayHandler.readOn(in); // takes effect after this event-loop task, behind the replay below
      // Early bytes and FIN go through the relay handler like any later read: counted, flushed,
      // backpressured, and the FIN passed on after them.
      ByteBuf b;
      while ((b = early.poll()) != null) {
        in.pipeline().fireChannelRead(b);
      }
      in.pipeline().fireChannelReadComplete();
      if (earlyFin) {
        in.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      }
    }
  }
}
