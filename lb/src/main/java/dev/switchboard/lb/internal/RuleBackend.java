package dev.switchboard.lb.internal;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pool member as a target of one rule: its address, its probe key, counters and open relays.
 */
final class RuleBackend {
  final String pool;
  final String ip;
  final String name;
  final InetSocketAddress address;

  /** Null when the rule has no probe: the backend is then always considered up. */
  final HealthKey healthKey;

  final BackendCounters counters;
  final Set<Relay> relays = ConcurrentHashMap.newKeySet();

  RuleBackend(
      String pool,
      String ip,
      String name,
      InetSocketAddress address,
      HealthKey healthKey,
      BackendCounters counters) {
    this.pool = pool;
    this.ip = ip;
    this.name = name;
    this.address = address;
    this.healthKey = healthKey;
    this.counters = counters;
  }

  /** True if a refreshed rule can keep using this object (same target and probe). */
  boolean sameAs(String name, InetSocketAddress address, HealthKey key) {
    return this.name.equals(name)
        && this.address.equals(address)
        && Objects.equals(this.healthKey, key);
  }

  @Override
  public String toString() {
    return name + "(" + address + ")";
  }
}
