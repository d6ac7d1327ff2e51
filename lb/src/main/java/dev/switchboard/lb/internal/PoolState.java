package dev.switchboard.lb.internal;

import dev.switchboard.lb.Backend;
import dev.switchboard.time.Scheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The live members of one pool, by IP; owned by the control thread. */
final class PoolState {
  final String name;
  final Map<String, Member> members = new LinkedHashMap<>();

  PoolState(String name) {
    this.name = name;
  }

  PoolState copy() {
    PoolState c = new PoolState(name);
    c.members.putAll(members);
    return c;
  }

  /** A backend and, if it was registered with a lease, its TTL and expiry. */
  static final class Member {
    final Backend backend;

    /** Null for static (unleased) members. */
    final Duration ttl;

    long expiresAtNanos;
    Scheduler.Cancellable expiry;

    Member(Backend backend, Duration ttl, long expiresAtNanos) {
      this.backend = backend;
      this.ttl = ttl;
      this.expiresAtNanos = expiresAtNanos;
    }

    boolean leased() {
      return ttl != null;
    }
  }
}
