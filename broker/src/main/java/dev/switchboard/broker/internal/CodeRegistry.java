package dev.switchboard.broker.internal;

import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The codes this broker issued, each owned by one waiting controller. Claiming is atomic: of two
 * racing claims for one code exactly one wins. Used and abandoned codes are remembered until they
 * would have expired, so a refusal can say "used" rather than "unknown".
 */
public final class CodeRegistry {
  private final Clock clock;
  private final Duration ttl;
  private final ConnectionCodes generator;
  private final Map<String, Entry> codes = new HashMap<>();

  /** What a claim found. */
  public record Claim(ErrorCode refusal, WaitingController controller) {
    public boolean ok() {
      return refusal == null;
    }
  }

  private static final class Entry {
    final WaitingController controller;
    final long expiresAt;
    ErrorCode state; // null while claimable

    Entry(WaitingController controller, long expiresAt) {
      this.controller = controller;
      this.expiresAt = expiresAt;
    }
  }

  public CodeRegistry(Clock clock, Duration ttl, ConnectionCodes generator) {
    this.clock = clock;
    this.ttl = ttl;
    this.generator = generator;
  }

  /** Issues a fresh code for a waiting controller; returns the canonical code. */
  public synchronized String issue(WaitingController controller) {
    purge();
    String code;
    do {
      code = generator.next();
    } while (codes.containsKey(code));
    codes.put(code, new Entry(controller, clock.millis() + ttl.toMillis()));
    return code;
  }

  /** Expiry time (epoch ms) of an issued code. */
  public synchronized long expiresAt(String code) {
    Entry e = codes.get(code);
    return e == null ? 0 : e.expiresAt;
  }

  /** Atomically claims a code for a joining target. */
  public synchronized Claim claim(String code) {
    Entry e = codes.get(code);
    if (e == null) {
      return new Claim(ErrorCode.CODE_UNKNOWN, null);
    }
    if (e.state != null) {
      return new Claim(e.state, null);
    }
    if (clock.millis() >= e.expiresAt) {
      e.state = ErrorCode.CODE_EXPIRED;
      return new Claim(ErrorCode.CODE_EXPIRED, null);
    }
    if (!e.controller.isConnected()) {
      e.state = ErrorCode.CONTROLLER_GONE;
      return new Claim(ErrorCode.CONTROLLER_GONE, null);
    }
    e.state = ErrorCode.CODE_USED;
    return new Claim(null, e.controller);
  }

  /** The controller holding this code went away: the code can no longer be joined. */
  public synchronized void abandon(String code) {
    Entry e = codes.get(code);
    if (e != null && e.state == null) {
      e.state = ErrorCode.CONTROLLER_GONE;
    }
  }

  /** Codes that can still be claimed. */
  public synchronized int open() {
    long now = clock.millis();
    return (int) codes.values().stream().filter(e -> e.state == null && e.expiresAt > now).count();
  }

  private void purge() {
    long now = clock.millis();
    codes.values().removeIf(e -> e.expiresAt <= now);
  }
}
