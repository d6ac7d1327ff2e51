package dev.switchboard.lb.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Idle timeouts of relayed connections, one periodic sweep per event loop and idle period instead
 * of a timer per connection: a connection costs a link into a list when it starts and an unlink
 * when it ends (a per-connection timer cost a scheduled task, a priority-queue insert and a
 * cancel). The relay marks an {@link Entry} on every read; a sweep that finds it unmarked counts
 * one more quiet period, and the entry fires once its quiet periods cover the idle timeout. So it
 * never fires early and at most two periods late; the period is a quarter of the timeout, 50 ms to
 * 10 s.
 *
 * <p>Everything here runs on the event loop the entries belong to, so nothing is synchronized.
 */
final class IdleSweep implements Runnable {
  private static final FastThreadLocal<Map<Long, IdleSweep>> SWEEPS =
      new FastThreadLocal<>() {
        @Override
        protected Map<Long, IdleSweep> initialValue() {
          return new HashMap<>(4);
        }
      };

  private final EventLoop loop;
  private final long periodMs;
  private final Entry head = new Entry(null, 0, null); // sentinel of a circular list
  private ScheduledFuture<?> task;
  private EpollTcpInfo info;

  private IdleSweep(EventLoop loop, long periodMs) {
    this.loop = loop;
    this.periodMs = periodMs;
    head.prev = head;
    head.next = head;
  }

  static long periodMs(Duration idle) {
    return Math.max(50, Math.min(10_000, idle.toMillis() / 4));
  }

  /**
   * Starts watching {@code ch} (call on its event loop): {@code onIdle} runs once no payload has
   * moved either way for {@code idle}; {@link Entry#remove()} it when the connection closes.
   */
  static Entry watch(Channel ch, Duration idle, Runnable onIdle) {
    return watch(ch, idle, periodMs(idle), onIdle);
  }

  /**
   * A deadline rather than an idle timeout (nothing touches the entry): {@code onTimeout} runs
   * after {@code timeout}, at most a fifth of it later (sweeps every tenth, at least 10 ms).
   */
  static Entry deadline(Channel ch, Duration timeout, Runnable onTimeout) {
    return watch(ch, timeout, Math.max(10, timeout.toMillis() / 10), onTimeout);
  }

  private static Entry watch(Channel ch, Duration idle, long period, Runnable onIdle) {
    EventLoop loop = ch.eventLoop();
    assert loop.inEventLoop() : "IdleSweep.watch off the channel's event loop";
    Map<Long, IdleSweep> sweeps = SWEEPS.get();
    IdleSweep s = sweeps.get(period);
    if (s == null || s.loop != loop) { // a thread may serve another loop later (tests' loops)
      s = new IdleSweep(loop, period);
      sweeps.put(period, s);
    }
    Entry e = new Entry(ch, idle.toMillis(), onIdle);
    s.add(e);
    return e;
  }

  private void add(Entry e) {
    e.prev = head.prev;
    e.next = head;
    head.prev.next = e;
    head.prev = e;
    if (task == null) {
      // Fixed delay, never fixed rate: a late sweep must not be followed by a quick catch-up one,
      // which would count a quiet period that did not fully pass.
      task = loop.scheduleWithFixedDelay(this, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void run() {
    Entry e = head.next;
    while (e != head) {
      Entry next = e.next;
      if (e.moved) {
        e.moved = false;
        e.quiet = 0;
      } else if (++e.quiet * periodMs >= e.idleMs && !splicedRecently(e)) {
        e.remove();
        e.onIdle.run();
      }
      e = next;
    }
    if (head.next == head) {
      task.cancel(false); // nothing to watch: an idle balancer keeps no timer running
      task = null;
    }
  }

  /** Spliced bytes bypass the pipeline, so ask the kernel when they last moved. */
  private boolean splicedRecently(Entry e) {
    if (!e.spliced || !(e.ch instanceof EpollSocketChannel ch) || !ch.isOpen()) {
      return false;
    }
    if (info == null) {
      info = new EpollTcpInfo();
    }
    ch.tcpInfo(info);
    // last_data_recv/last_data_sent: milliseconds since the last payload in each direction.
    long since = Math.min(info.lastDataRecv(), info.lastDataSent());
    if (since >= e.idleMs) {
      return false;
    }
    e.quiet = (int) (since / periodMs);
    return true;
  }

  /** One watched connection; its fields are touched only on the sweep's event loop. */
  static final class Entry {
    private final Channel ch;
    private final long idleMs;
    private final Runnable onIdle;
    private Entry prev;
    private Entry next;
    private int quiet;
    // Starts marked: the connection was just established, which counts as activity.
    private boolean moved = true;
    private boolean spliced;

    private Entry(Channel ch, long idleMs, Runnable onIdle) {
      this.ch = ch;
      this.idleMs = idleMs;
      this.onIdle = onIdle;
    }

    /** Payload moved (called by the relay on every read). */
    void touch() {
      moved = true;
    }

    /** A direction moved to splice: from now on idleness is read from TCP_INFO. */
    void spliced() {
      spliced = true;
    }

    /** Stops watching; idempotent. */
    void remove() {
      if (prev != null) {
        prev.next = next;
        next.prev = prev;
        prev = null;
        next = null;
      }
    }
  }
}
