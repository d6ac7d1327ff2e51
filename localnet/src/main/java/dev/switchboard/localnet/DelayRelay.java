package dev.switchboard.localnet;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A TCP relay that adds a fixed one-way delay in each direction, to simulate inter-region latency
 * on one machine (no netem here). Bytes are never reordered or dropped: each chunk is delivered at
 * read time + delay, in read order, on one event loop. The TCP handshake's round trip is simulated
 * too: nothing the client sends is delivered before one full round trip after accept. Memory is
 * bounded: reading pauses while more than 16 MiB are in flight in a direction.
 */
public final class DelayRelay implements AutoCloseable {
  private static final long HIGH_WATER = 16L << 20;
  private static final long LOW_WATER = 8L << 20;
  private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final long oneWayNanos;
  // The local address connections onward come from, or null for the system's choice.
  private final InetSocketAddress source;
  // Set once by start() before it returns; only the starting thread and its successors read it.
  private Channel listener;

  private DelayRelay(long oneWayNanos, InetSocketAddress source) {
    this.oneWayNanos = oneWayNanos;
    this.source = source;
  }

  /**
   * Starts a relay on {@code listen} forwarding to whatever {@code upstream} returns at connect
   * time (null: refuse the connection, as a dead host would).
   */
  public static DelayRelay start(
      EventLoopGroup group,
      Class<? extends ServerChannel> serverType,
      Class<? extends Channel> clientType,
      InetSocketAddress listen,
      Supplier<InetSocketAddress> upstream,
      long oneWayMillis)
      throws InterruptedException {
    return start(group, serverType, clientType, listen, upstream, oneWayMillis, null);
  }

  /**
   * As above, connecting onward from {@code source} (any port) instead of the system's choice: a
   * relay standing for a network path keeps the address of the sender it stands for, so whoever
   * trusts that sender (for its PROXY headers) trusts what comes through the relay.
   */
  public static DelayRelay start(
      EventLoopGroup group,
      Class<? extends ServerChannel> serverType,
      Class<? extends Channel> clientType,
      InetSocketAddress listen,
      Supplier<InetSocketAddress> upstream,
      long oneWayMillis,
      InetAddress source)
      throws InterruptedException {
    // The relay exists before the socket is bound: a client may connect, and initChannel run on
    // the event loop, before bind().sync() even returns here.
    DelayRelay self =
        new DelayRelay(
            TimeUnit.MILLISECONDS.toNanos(oneWayMillis),
            source == null ? null : new InetSocketAddress(source, 0));
    self.listener =
        new ServerBootstrap()
            .group(group)
            .channel(serverType)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel c) {
                    self.open.add(c);
                    c.pipeline().addLast(self.new Front(upstream, clientType));
                  }
                })
            .bind(listen)
            .sync()
            .channel();
    return self;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** Cuts every relayed connection, as a failing path would. */
  public void cutAll() {
    open.close();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    open.close().syncUninterruptibly();
  }

  private final class Front extends ChannelInboundHandlerAdapter {
    private final Supplier<InetSocketAddress> upstream;
    private final Class<? extends Channel> clientType;

    Front(Supplier<InetSocketAddress> upstream, Class<? extends Channel> clientType) {
      this.upstream = upstream;
      this.clientType = clientType;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel front = ctx.channel();
      InetSocketAddress to = upstream.get();
      if (to == null) {
        front.close();
        return;
      }
      long acceptedAt = System.nanoTime();
      Bootstrap b =
          new Bootstrap()
              .group(front.eventLoop())
              .channel(clientType)
              .option(ChannelOption.AUTO_READ, false)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
              .handler(new ChannelInboundHandlerAdapter());
      (source == null ? b.connect(to) : b.connect(to, source))
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (!f.isSuccess()) {
                      front.close();
                      return;
                    }
                    Channel back = f.channel();
                    open.add(back);
                    // Client bytes cannot leave before the simulated TCP handshake (one round
                    // trip).
                    long firstSend = acceptedAt + 2 * oneWayNanos;
                    front.pipeline().replace(Front.this, "delay", new Delayed(back, firstSend));
                    back.pipeline().addLast(new Delayed(front, 0));
                    front.read();
                    back.read();
                  });
    }
  }

  /** Forwards what one side reads to the other side, delayed. */
  private final class Delayed extends ChannelInboundHandlerAdapter {
    private final Channel to;
    private final long notBefore;
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private boolean drainScheduled;
    private long inFlight;

    Delayed(Channel to, long notBefore) {
      this.to = to;
      this.notBefore = notBefore;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      int n = buf.readableBytes();
      inFlight += n;
      Channel from = ctx.channel();
      schedule(
          from,
          () ->
              to.writeAndFlush(buf)
                  .addListener(
                      f -> {
                        inFlight -= n;
                        if (inFlight <= LOW_WATER && !from.config().isAutoRead()) {
                          from.config().setAutoRead(true);
                        }
                      }));
      if (inFlight > HIGH_WATER) {
        from.config().setAutoRead(false);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (!ctx.channel().config().isAutoRead() && inFlight <= HIGH_WATER) {
        ctx.channel().config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      schedule(
          ctx.channel(),
          () -> to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    /** Queues {@code r} for read time + delay; one FIFO per direction keeps the byte order. */
    private void schedule(Channel from, Runnable r) {
      long at = Math.max(System.nanoTime(), notBefore) + oneWayNanos;
      queue.add(new Object[] {at, r});
      if (!drainScheduled) {
        drainScheduled = true;
        from.eventLoop()
            .schedule(() -> drain(from), Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    }

    private void drain(Channel from) {
      long now = System.nanoTime();
      while (!queue.isEmpty() && (long) queue.peek()[0] <= now) {
        ((Runnable) queue.poll()[1]).run();
      }
      if (queue.isEmpty()) {
        drainScheduled = false;
      } else {
        long next = (long) queue.peek()[0];
        from.eventLoop().schedule(() -> drain(from), Math.max(0, next - now), TimeUnit.NANOSECONDS);
      }
    }
  }
}
