package dev.switchboard.broker.internal;

import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.Message.Failures.Count;
import dev.switchboard.protocol.Message.Failures.Kind;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Limits failed joins per source address (IPv6 per /64), per client certificate and per broker with
 * token buckets that refill continuously over one minute. A join takes its tokens when it is
 * admitted and gets them back if it succeeds, so concurrent joins can never spend more than a
 * bucket holds; joins in flight are capped per address and per certificate. When the broker-wide
 * budget is spent, only sources (address or certificate) that failed within the last minute are
 * refused: a flood from many addresses cannot lock a clean target out.
 *
 * <p>In a mesh, each local failure is also reported to the peers ({@link #drainUnshared}) and
 * failures the peers report are charged here ({@link #charge}), so one source meets one limit
 * across the mesh (docs/protocol.md, "Sharing failures across the mesh").
 */
public final class JoinRateLimiter {
  static final int MAX_TRACKED = 100_000;
  private static final long WINDOW_MILLIS = 60_000;
  private static final long SWEEP_INTERVAL_MILLIS = 1_000;

  /**
   * The configured limits.
   *
   * @param inFlightPerSource joins admitted and not yet answered, per address and per certificate
   */
  public record Limits(
      int perAddressPerMinute,
      int perCertificatePerMinute,
      int perBrokerPerMinute,
      int inFlightPerSource) {}

  private final Clock clock;
  private final Limits limits;
  private final int maxTracked;
  private final Bucket brokerLocked;
  private final Sources byAddressLocked;
  private final Sources byCertificateLocked;
  // Sources with local failures not yet reported to the peers, oldest first; only kept in a mesh.
  private final Set<Source> unsharedLocked = new LinkedHashSet<>();
  private int peersLocked;

  public JoinRateLimiter(Clock clock, Limits limits) {
    this(clock, limits, MAX_TRACKED);
  }

  JoinRateLimiter(Clock clock, Limits limits, int maxTracked) {
    this.clock = clock;
    this.limits = limits;
    this.maxTracked = maxTracked;
    this.brokerLocked = new Bucket(limits.perBrokerPerMinute(), clock.millis());
    this.byAddressLocked = new Sources(Kind.ADDRESS, limits.perAddressPerMinute());
    this.byCertificateLocked = new Sources(Kind.CERTIFICATE, limits.perCertificatePerMinute());
  }

  /**
   * Admits a join from {@code source} presented with the certificate {@code fingerprint}, taking
   * its tokens, or returns null if it must be refused. The caller settles an admission exactly
   * once.
   */
  public synchronized Admission admit(InetAddress source, byte[] fingerprint) {
    long now = clock.millis();
    Source address = byAddressLocked.find(key(source), now, maxTracked);
    Source cert = byCertificateLocked.find(HexFormat.of().formatHex(fingerprint), now, maxTracked);
    if (address == null || cert == null) {
      // Too many sources to track: only the broker-wide budget still lets a join through.
      address = null;
      cert = null;
      if (brokerLocked.available(now) < 1) {
        return null;
      }
    } else if (!address.admits(now) || !cert.admits(now)) {
      return null;
    } else if (brokerLocked.available(now) < 1
        && (address.failedRecently(now) || cert.failedRecently(now))) {
      return null;
    }
    boolean brokerToken = brokerLocked.take(now);
    if (address != null && cert != null) {
      address.take(now);
      cert.take(now);
    }
    return new Admission(address, cert, brokerToken);
  }

  /** The map key of an address: IPv4 as is, IPv6 cut to its /64 (one subscriber's network). */
  static InetAddress key(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a;
    }
    byte[] b = Arrays.copyOf(a.getAddress(), 16);
    Arrays.fill(b, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts keeping local failures for {@link #drainUnshared} and lets peers' reports put a source
   * into debt of up to {@code peers} buckets: what the other brokers could have admitted from it
   * before they heard of each other's failures.
   */
  public synchronized void shareWith(int peers) {
    peersLocked = peers;
  }

  /**
   * Takes up to {@code max} counts of local failures not yet reported (each source once, oldest
   * first); the rest stay for the next call.
   */
  public synchronized List<Count> drainUnshared(int max) {
    List<Count> out = new ArrayList<>(Math.min(max, unsharedLocked.size()));
    Iterator<Source> it = unsharedLocked.iterator();
    while (it.hasNext() && out.size() < max) {
      Source s = it.next();
      it.remove();
      out.add(new Count(s.kind, s.wireKey, Math.min(s.unshared, Message.Failures.MAX_FAILURES)));
      s.unshared = 0;
    }
    return out;
  }

  /**
   * Charges failures a peer reported: the source's bucket loses that many tokens (down to the debt
   * floor) and the source counts as recently failed. Returns false when the source is not tracked
   * and cannot be: reports may fill at most half of the tracked-source cap, so a peer cannot crowd
   * out this broker's own sources.
   */
  public synchronized boolean charge(Count c) {
    long now = clock.millis();
    Source s;
    if (c.kind() == Kind.ADDRESS) {
      InetAddress a;
      try {
        a = key(InetAddress.getByAddress(c.key()));
      } catch (UnknownHostException e) {
        return false; // cannot happen: the codec admits 4- and 16-byte keys only
      }
      s = byAddressLocked.find(a, now, maxTracked / 2);
    } else {
      s = byCertificateLocked.find(HexFormat.of().formatHex(c.key()), now, maxTracked / 2);
    }
    if (s == null) {
      return false;
    }
    s.bucket.charge(now, c.failures(), -(double) peersLocked * s.bucket.capacity);
    s.lastFailure = now;
    return true;
  }

  synchronized int tracked() {
    return byAddressLocked.map.size() + byCertificateLocked.map.size();
  }

  /** One admitted join; {@link #succeeded} or {@link #failed} settles it. */
  public final class Admission {
    private final Source address;
    private final Source cert;
    private final boolean brokerToken;
    private boolean settled;

    private Admission(Source address, Source cert, boolean brokerToken) {
      this.address = address;
      this.cert = cert;
      this.brokerToken = brokerToken;
    }

    /** The join did not fail (or was never evaluated): its tokens go back. */
    public void succeeded() {
      synchronized (JoinRateLimiter.this) {
        if (settle()) {
          long now = clock.millis();
          if (brokerToken) {
            brokerLocked.refund(now);
          }
          if (address != null) {
            address.bucket.refund(now);
            cert.bucket.refund(now);
          }
        }
      }
    }

    /** The code was wrong: the tokens stay spent and the source counts as recently failed. */
    public void failed() {
      synchronized (JoinRateLimiter.this) {
        if (settle() && address != null) {
          long now = clock.millis();
          address.failedLocally(now);
          cert.failedLocally(now);
        }
      }
    }

    private boolean settle() {
      if (settled) {
        return false;
      }
      settled = true;
      if (address != null) {
        address.inFlight--;
        cert.inFlight--;
      }
      return true;
    }
  }

  /** Per-source state, bounded: idle entries are swept when the map is full. */
  private final class Sources {
    final Kind kind;
    final int perMinute;
    final Map<Object, Source> map = new HashMap<>();
    long lastSweep = Long.MIN_VALUE / 2;

    Sources(Kind kind, int perMinute) {
      this.kind = kind;
      this.perMinute = perMinute;
    }

    /** The entry for {@code key}, created if the map holds fewer than {@code room}; else null. */
    Source find(Object key, long now, int room) {
      Source s = map.get(key);
      if (s != null) {
        return s;
      }
      if (map.size() >= room && now - lastSweep >= SWEEP_INTERVAL_MILLIS) {
        // Sweeping at most once a second keeps a flood of new sources from costing O(n) each.
        lastSweep = now;
        map.values().removeIf(e -> e.idle(now));
      }
      if (map.size() >= room) {
        return null;
      }
      byte[] wire =
          key instanceof InetAddress a ? a.getAddress() : HexFormat.of().parseHex((String) key);
      s = new Source(kind, wire, new Bucket(perMinute, now));
      map.put(key, s);
      return s;
    }
  }

  private final class Source {
    final Kind kind;
    final byte[] wireKey;
    final Bucket bucket;
    int inFlight;
    int unshared;
    long lastFailure = Long.MIN_VALUE / 2;

    Source(Kind kind, byte[] wireKey, Bucket bucket) {
      this.kind = kind;
      this.wireKey = wireKey;
      this.bucket = bucket;
    }

    void failedLocally(long now) {
      lastFailure = now;
      if (peersLocked > 0) {
        unshared++;
        unsharedLocked.add(this);
      }
    }

    boolean admits(long now) {
      return inFlight < limits.inFlightPerSource() && bucket.available(now) >= 1;
    }

    void take(long now) {
      bucket.take(now);
      inFlight++;
    }

    boolean failedRecently(long now) {
      return now - lastFailure < WINDOW_MILLIS;
    }

    boolean idle(long now) {
      return inFlight == 0
          && unshared == 0
          && !failedRecently(now)
          && bucket.available(now) >= bucket.capacity;
    }
  }

  private static final class Bucket {
    final double capacity;
    double tokens;
    long updated;

    Bucket(int perMinute, long now) {
      this.capacity = perMinute;
      this.tokens = perMinute;
      this.updated = now;
    }

    double available(long now) {
      tokens = Math.min(capacity, tokens + (now - updated) * capacity / WINDOW_MILLIS);
      updated = now;
      return tokens;
    }

    boolean take(long now) {
      if (available(now) < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    void refund(long now) {
      tokens = Math.min(capacity, available(now) + 1);
    }

    /** Spends {@code n} tokens spent elsewhere, going into debt down to {@code floor}. */
    void charge(long now, int n, double floor) {
      tokens = Math.max(Math.min(floor, available(now)), available(now) - n);
    }
  }
}
