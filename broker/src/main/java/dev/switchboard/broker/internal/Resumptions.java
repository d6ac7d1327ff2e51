package dev.switchboard.broker.internal;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.ResumeCredential;
import dev.switchboard.protocol.ResumeCredential.Side;
import dev.switchboard.time.Scheduler;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs the two sides of a session that come back after its relay broke (docs/protocol.md,
 * "Resumption"). A side is accepted only with a valid credential for its own certificate; the pair
 * only when both credentials name the same session, generation, issuer and each other's
 * certificates; and a generation only while no newer one is known here or on the mesh. A side waits
 * at most the resume window for the other.
 */
final class Resumptions {
  private static final Logger log = LoggerFactory.getLogger(Resumptions.class);

  /** Sessions whose generation is remembered; the oldest are forgotten past this. */
  static final int MAX_KNOWN = 100_000;

  private final BrokerCore core;
  private final ResumeCredentials credentials;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Integer> known =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > MAX_KNOWN;
        }
      };

  Resumptions(BrokerCore core, ResumeCredentials credentials) {
    this.core = core;
    this.credentials = credentials;
  }

  private record Half(ClientConnection conn, ResumeCredential credential, Message.Resume resume) {}

  private static final class Pending {
    final int generation;
    final Half[] halves = new Half[2];
    Scheduler.Cancellable timer;

    Pending(int generation) {
      this.generation = generation;
    }

    boolean complete() {
      return halves[0] != null && halves[1] != null;
    }
  }

  /** A client asks to resume; it is refused, parked until its peer comes, or paired. */
  void offer(ClientConnection conn, Message.Resume resume) {
    ResumeCredential c;
    try {
      c = credentials.verify(resume.credential(), conn.fingerprint(), conn.role());
    } catch (ProtocolException e) {
      refuse(conn, e.code(), e.getMessage());
      return;
    }
    ResumeCredential.Body b = c.body();
    String id = b.sessionId();
    int g = b.generation();
    Half half = new Half(conn, c, resume);
    List<Half> evicted = new ArrayList<>();
    Half[] pair = null;
    ErrorCode refusal = null;
    String why = null;
    synchronized (this) {
      Integer current = known.get(id);
      Pending p = pending.get(id);
      if (current != null && current < 0) {
        refusal = ErrorCode.RESUME_EXPIRED;
        why = "session " + id + " has ended for good";
      } else if (current != null && g < current) {
        refusal = ErrorCode.RESUME_STALE;
        why = "session " + id + " has moved on to generation " + current + " since";
      } else {
        if (p != null && p.generation < g) {
          evict(p, evicted);
          pending.remove(id);
          p = null;
        }
        if (p == null) {
          p = new Pending(g);
          pending.put(id, p);
          Pending waiting = p;
          p.timer = core.scheduler.schedule(() -> expire(id, waiting), core.config.resumeWindow());
          known.put(id, g);
        }
        int slot = b.side().ordinal();
        Half other = p.halves[1 - slot];
        if (other != null && !matches(other.credential.body(), b)) {
          refusal = ErrorCode.RESUME_INVALID;
          why = "the credential does not belong to the session its peer resumes";
        } else {
          if (p.halves[slot] != null) {
            evicted.add(p.halves[slot]); // the same client came back on a new connection
          }
          p.halves[slot] = half;
          conn.resuming();
          if (p.complete()) {
            pending.remove(id);
            p.timer.cancel();
            pair = p.halves.clone();
            known.put(id, g + 1);
          }
        }
      }
    }
    for (Half h : evicted) {
      refuse(h.conn, ErrorCode.RESUME_STALE, "a newer resumption of this side replaced it");
    }
    if (refusal != null) {
      refuse(conn, refusal, "resumption refused: " + why);
      return;
    }
    suspendLocal(id, g, core.config.id());
    core.mesh.sessionMoved(
        new Message.SessionMoved(id, pair != null ? g + 1 : g, core.config.id()));
    if (pair != null) {
      pair(id, g + 1, pair[Side.CONTROLLER.ordinal()], pair[Side.TARGET.ordinal()]);
    }
  }

  private static boolean matches(ResumeCredential.Body a, ResumeCredential.Body b) {
    return a.issuer().equals(b.issuer())
        && MessageDigest.isEqual(a.holderFingerprint(), b.peerFingerprint())
        && MessageDigest.isEqual(a.peerFingerprint(), b.holderFingerprint());
  }

  private void pair(String id, int generation, Half controller, Half target) {
    log.info("session {} resumes here as generation {}", id, generation);
    controller.conn.channel().eventLoop().execute(controller.conn::relaying);
    target.conn.channel().eventLoop().execute(target.conn::relaying);
    RelaySession.resume(
        core,
        id,
        generation,
        controller.conn,
        controller.resume,
        target.conn,
        target.resume,
        controller.credential.body().issuer());
  }

  private void expire(String id, Pending p) {
    List<Half> late = new ArrayList<>();
    synchronized (this) {
      if (pending.get(id) != p) {
        return;
      }
      pending.remove(id);
      evict(p, late);
      known.put(id, -1);
    }
    core.metrics.sessionEnded(ErrorCode.RESUME_EXPIRED);
    for (Half h : late) {
      refuse(
          h.conn,
          ErrorCode.RESUME_EXPIRED,
          "the other side did not resume within " + core.config.resumeWindow().toSeconds() + "s");
    }
  }

  private static void evict(Pending p, List<Half> into) {
    for (Half h : p.halves) {
      if (h != null) {
        into.add(h);
      }
    }
  }

  /** A waiting side's connection closed: it no longer holds its place. */
  void lost(ClientConnection conn) {
    synchronized (this) {
      for (Pending p : pending.values()) {
        for (int i = 0; i < 2; i++) {
          if (p.halves[i] != null && p.halves[i].conn == conn) {
            p.halves[i] = null;
          }
        }
      }
    }
  }

  /** A relay of the session ended for good here (completed, closed, idle): it cannot resume. */
  void ended(String id, int generation) {
    synchronized (this) {
      Integer current = known.get(id);
      if (current == null || current <= generation) {
        known.put(id, -1);
      }
    }
  }

  /** A peer reports that {@code m.sessionId()} is being resumed there. */
  void moved(Message.SessionMoved m) {
    List<Half> stale = new ArrayList<>();
    synchronized (this) {
      Integer current = known.get(m.sessionId());
      if (current == null || (current >= 0 && current < m.generation())) {
        known.put(m.sessionId(), m.generation());
      }
      Pending p = pending.get(m.sessionId());
      if (p != null && p.generation < m.generation()) {
        pending.remove(m.sessionId());
        p.timer.cancel();
        evict(p, stale);
      }
    }
    for (Half h : stale) {
      refuse(h.conn, ErrorCode.RESUME_STALE, "the session has moved on since");
    }
    suspendLocal(m.sessionId(), m.generation(), m.brokerId());
  }

  /**
   * A relay of the session here whose clients are resuming (elsewhere, or here on new connections)
   * is over: its sides are told to resume too.
   */
  private void suspendLocal(String id, int generation, String where) {
    for (RelaySession s : core.sessions) {
      if (s.id().equals(id) && s.generation() <= generation) {
        s.suspend("the session is resuming at " + where);
      }
    }
  }

  private void refuse(ClientConnection conn, ErrorCode code, String message) {
    core.metrics.resumesRefused(code);
    log.info("refused a resumption from {}: {} ({})", conn.name(), code, message);
    conn.refuseAndClose(code, message);
  }
}
