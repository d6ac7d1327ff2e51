package dev.switchboard.lb.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Zero-copy {@code splice(2)} for one direction of a relay on epoll, and flow idleness read from
 * the kernel's TCP_INFO, since spliced bytes never pass through the pipeline.
 */
final class SpliceRelay {
  /** Bytes a direction copies before it switches to splice; small exchanges never pay for pipes. */
  static final long THRESHOLD = Long.getLong("switchboard.lb.spliceAfterBytes", 128 * 1024);

  private SpliceRelay() {}

  /** True if splicing is possible and not disabled with {@code -Dswitchboard.lb.splice=false}. */
  static boolean possible(Channel from, Channel to) {
    return !"false".equals(System.getProperty("switchboard.lb.splice"))
        && from instanceof AbstractEpollStreamChannel && to instanceof AbstractEpollStreamChannel;
  }

  /** Moves {@code from → to} to splice; call only when no write to {@code to} is pending. */
  static void start(Channel from, Channel to) {
    ((AbstractEpollStreamChannel) from)
        .spliceTo((AbstractEpollStreamChannel) to, Integer.MAX_VALUE)
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            from.close();
          }
        });
    // Splicing is driven by read readiness, so reads stay armed from now on.
    from.config().setAutoRead(true);
  }

  /**
   * Runs {@code onIdle} once no payload has moved either way on {@code ch} for {@code idle};
   * {@link IdleWatch#cancel()} it when the connection closes so the timer does not keep the closed
   * channel reachable until it would have fired.
   */
  static IdleWatch watchIdle(EpollSocketChannel ch, Duration idle, Runnable onIdle) {
    IdleWatch w = new IdleWatch(ch, idle.toMillis(), onIdle);
    w.schedule();
    return w;
  }

  /** The periodic TCP_INFO check of one connection; touched only on its event loop. */
  static final class IdleWatch implements Runnable {
    private final EpollSocketChannel ch;
    private final long idleMs;
    private final long periodMs;
    private final Runnable onIdle;
    private EpollTcpInfo info;
    private ScheduledFuture<?> next;
    private boolean cancelled;

    IdleWatch(EpollSocketChannel ch, long idleMs, Runnable onIdle) {
      this.ch = ch;
      this.idleMs = idleMs;
      this.periodMs = Math.max(50, Math.min(10_000, idleMs / 4));
      this.onIdle = onIdle;
    }

    private void schedule() {
      next = ch.eventLoop().schedule(this, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      if (cancelled || !ch.isOpen()) {
        return;
      }
      if (info == null) {
        info = new EpollTcpInfo();
      }
      ch.tcpInfo(info);
      // last_data_recv/last_data_sent: milliseconds since the last payload in each direction.
      if (Math.min(info.lastDataRecv(), info.lastDataSent()) >= idleMs) {
        onIdle.run();
      } else {
        schedule();
      }
    }

    /** Stops the checks (call on the channel's event loop, e.g. from its close listener). */
    void cancel() {
      cancelled = true;
      if (next != null) {
        next.cancel(false);
        next = null;
      }
    }
  }
}
