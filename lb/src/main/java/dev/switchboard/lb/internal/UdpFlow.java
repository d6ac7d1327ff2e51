package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One UDP flow: a client address, the backend it is pinned to, and the connected upstream socket;
 * touched only on the frontend channel's event loop.
 */
final class UdpFlow {
  private static final int MAX_PENDING = 64;
  final InetSocketAddress client;
  final RuleBackend backend;
  private final byte[] proxyHeader;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
  private Channel upstream;
  private boolean ready;
  private boolean closed;
  private boolean dirty;
  long lastActiveNanos;

  UdpFlow(InetSocketAddress client, RuleBackend backend, byte[] proxyHeader, long now) {
    this.client = client;
    this.backend = backend;
    this.proxyHeader = proxyHeader;
    this.lastActiveNanos = now;
  }

  /** Called once the upstream socket is bound and connected (or failed). */
  void attach(ChannelFuture connect) {
    upstream = connect.channel();
    if (closed) {
      upstream.close();
      return;
    }
    ready = connect.isSuccess();
    if (!ready) {
      drainPending();
      return;
    }
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      upstream.write(b);
    }
    upstream.flush();
  }

  /** Sends one datagram payload toward the backend (taking ownership of {@code payload}). */
  void send(ByteBuf payload) {
    ByteBuf out = payload;
    if (proxyHeader != null) {
      out = payload.alloc().ioBuffer(proxyHeader.length + payload.readableBytes());
      out.writeBytes(proxyHeader).writeBytes(payload);
      payload.release();
    }
    backend.counters.datagramsIn.inc();
    if (ready) {
      upstream.write(out);
      dirty = true;
    } else if (!closed && upstream == null && pending.size() < MAX_PENDING) {
      pending.add(out);
    } else {
      out.release();
    }
  }

  /** Flushes writes batched during one read burst. */
  void flushIfDirty() {
    if (dirty) {
      dirty = false;
      upstream.flush();
    }
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    drainPending();
    if (upstream != null) {
      upstream.close();
    }
  }

  boolean isClosed() {
    return closed;
  }

  private void drainPending() {
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      b.release();
    }
  }
}
