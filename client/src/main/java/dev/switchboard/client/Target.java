package dev.switchboard.client;

import dev.switchboard.protocol.Message;
import java.io.IOException;
import java.util.List;

/**
 * The target's side: measure every broker, join the fastest with the code over the connection
 * already open to it, and hand back the relayed {@link Session} once the controller arrives.
 */
public final class Target {
  private Target() {}

  /**
   * Joins the session of {@code code}. With several brokers the latency probe picks one; the losing
   * connections are closed.
   *
   * @throws RefusedException if the broker refuses the code (unknown, expired, used, rate limited)
   * @throws IOException if no broker can be reached
   */
  public static Session join(
      ClientOptions opts, List<BrokerEndpoint> brokers, String code, SessionEvents events)
      throws IOException {
    if (brokers.isEmpty()) {
      throw new IllegalArgumentException("no broker to join");
    }
    BrokerConnection chosen;
    if (brokers.size() == 1) {
      chosen = BrokerConnection.open(opts, brokers.get(0));
    } else {
      List<ProbeResult> results = LatencyProbe.measure(opts, brokers);
      events.probed(results);
      ProbeResult best =
          LatencyProbe.best(results)
              .orElseThrow(
                  () ->
                      new IOException(
                          "no broker reachable: "
                              + results.stream()
                                  .map(ProbeResult::toString)
                                  .reduce((a, b) -> a + "; " + b)
                                  .orElse("")));
      events.chose(best);
      for (ProbeResult r : results) {
        if (r != best && r.connection() != null) {
          r.connection().close();
        }
      }
      chosen = best.connection();
    }
    return joinOn(chosen, code, events);
  }

  /** Joins over an already open connection. */
  public static Session joinOn(BrokerConnection c, String code, SessionEvents events)
      throws IOException {
    try {
      events.joinSent(c.brokerId());
      c.send(new Message.Join(code));
      while (true) {
        Message m = c.read();
        if (m instanceof Message.Joined j) {
          events.joined(j.sessionId());
        } else if (m instanceof Message.SessionStart s) {
          BrokerEndpoint chosen = c.endpoint();
          Session session =
              new Session(
                  c,
                  s.sessionId(),
                  s.peerName(),
                  c.options(),
                  resume -> BrokerConnection.open(c.options(), chosen, resume, null),
                  events);
          events.sessionStarted(session);
          return session;
        } else if (!(m instanceof Message.Pong)) {
          throw BrokerConnection.unexpected(m, "JOINED or SESSION_START");
        }
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
