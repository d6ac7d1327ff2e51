package dev.switchboard.lb.internal;

import dev.switchboard.lb.Backend;
import dev.switchboard.time.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/** Lease timers of pool members: called on the control thread, and expiries are delivered there. */
final class Leases {
  private final Scheduler scheduler;
  private final Executor ctl;
  private final BiConsumer<String, PoolState.Member> onExpired;

  /** {@code onExpired} gets (pool, member) on {@code ctl} once a lease ran out without renewal. */
  Leases(Scheduler scheduler, Executor ctl, BiConsumer<String, PoolState.Member> onExpired) {
    this.scheduler = scheduler;
    this.ctl = ctl;
    this.onExpired = onExpired;
  }

  /** A new member of {@code pool}; with a TTL its lease starts now. */
  PoolState.Member member(String pool, Backend backend, Optional<Duration> ttl) {
    PoolState.Member m =
        new PoolState.Member(
            backend,
            ttl.orElse(null),
            ttl.map(d -> scheduler.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE));
    ttl.ifPresent(d -> schedule(pool, m, d));
    return m;
  }

  /** Restarts the lease of a leased member; a no-op for static ones. */
  void renew(PoolState.Member m) {
    if (m.leased()) {
      m.expiresAtNanos = scheduler.nanoTime() + m.ttl.toNanos();
    }
  }

  void cancel(PoolState.Member m) {
    if (m.expiry != null) {
      m.expiry.cancel();
      m.expiry = null;
    }
  }

  Optional<Duration> remaining(PoolState.Member m) {
    if (!m.leased()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.max(0, m.expiresAtNanos - scheduler.nanoTime())));
  }

  private void schedule(String pool, PoolState.Member m, Duration delay) {
    m.expiry = scheduler.schedule(() -> ctl.execute(() -> fire(pool, m)), delay);
  }

  private void fire(String pool, PoolState.Member m) {
    if (m.expiry == null) {
      return; // cancelled after the timer fired but before this ran
    }
    // Renewals only move the deadline; the timer re-arms for the rest.
    long left = m.expiresAtNanos - scheduler.nanoTime();
    if (left > 0) {
      schedule(pool, m, Duration.ofNanos(left));
      return;
    }
    m.expiry = null;
    onExpired.accept(pool, m);
  }
}
