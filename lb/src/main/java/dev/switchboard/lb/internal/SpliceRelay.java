package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Zero-copy {@code splice(2)} for one direction of a relay on epoll (idleness of spliced bytes is
 * read from TCP_INFO by {@link IdleSweep}, since they never pass through the pipeline).
 */
final class SpliceRelay {
  /**
   * Bytes one read burst must carry before its direction switches to splice: only a sender that
   * keeps the socket buffer full gets there, so interactive and request/response traffic (however
   * long-lived) stays on plain reads and writes, which cost fewer syscalls per message than a
   * splice through a pipe and back.
   */
  static final long BULK_BURST = Long.getLong("switchboard.lb.spliceAfterBurst", 64 * 1024);

  private SpliceRelay() {}

  /**
   * True if splicing is possible and turned on with {@code -Dswitchboard.lb.splice=true}. Off by
   * default because it measured slower than copying: iperf3 with one stream through the shipped lb
   * on the 2-core KVM of docs/benchmarks.md moved 1.7–2.3 Gbit/s spliced against 3.0–4.7 copied in
   * every interleaved round, at about the same CPU per byte (Netty moves at most one 64 KiB pipe
   * per pair of splice calls).
   */
  static boolean possible(Channel from, Channel to) {
    return Boolean.getBoolean("switchboard.lb.splice")
        && from instanceof AbstractEpollStreamChannel
        && to instanceof AbstractEpollStreamChannel;
  }

  /** Moves {@code from → to} to splice; call only when no write to {@code to} is pending. */
  static void start(Channel from, Channel to) {
    ((AbstractEpollStreamChannel) from)
        .spliceTo((AbstractEpollStreamChannel) to, Integer.MAX_VALUE)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    from.close();
                  }
                });
    // Splicing is driven by read readiness, so reads stay armed from now on.
    from.config().setAutoRead(true);
  }

  /**
   * Reads whatever is still queued on {@code from}'s socket after its FIN was seen and writes it to
   * {@code to}, in order behind everything spliced before. Needed because Netty's splice loop
   * (4.2.18) shuts the input down as soon as {@code EPOLLRDHUP} is reported, even when part of the
   * stream is still in the receive queue, and then never reads it; Linux still hands queued bytes
   * to {@code read(2)} after {@code shutdown(SHUT_RD)}. Since the FIN has arrived, all of the
   * remaining stream is already queued, so this reads to end of stream without blocking. The memory
   * it takes is bounded by the socket's receive buffer.
   */
  static void drainQueuedInput(Channel from, Channel to) {
    if (!(from instanceof AbstractEpollStreamChannel ch)) {
      return;
    }
    FileDescriptor fd = ch.fd();
    while (true) {
      ByteBuf buf = from.alloc().directBuffer(64 * 1024);
      int n;
      try {
        ByteBuffer nio = buf.internalNioBuffer(0, buf.capacity());
        n = fd.read(nio, nio.position(), nio.limit());
      } catch (IOException e) {
        n = -1;
      }
      if (n <= 0) {
        buf.release();
        break;
      }
      buf.writerIndex(n);
      to.write(buf, to.voidPromise());
    }
  }
}
