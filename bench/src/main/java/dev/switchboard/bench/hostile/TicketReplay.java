package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.protocol.Message;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 12, item 5 and tickets in general: the attacker runs a redirected session of its own to
 * obtain a genuine ticket, uses it once, then replays it: again with the same certificate, with
 * another controller's certificate, and at a broker it was not issued for. Any replay that starts a
 * session is counted as {@code replay.BREACH}.
 */
final class TicketReplay implements Runnable {
  private final ClientOptions controller;
  private final ClientOptions otherController;
  private final ClientOptions target;
  private final List<BrokerEndpoint> brokers;
  private final long pauseMillis;
  private final Deadline deadline;
  private final Counts counts;

  TicketReplay(
      ClientOptions controller,
      ClientOptions otherController,
      ClientOptions target,
      List<BrokerEndpoint> brokers,
      long pauseMillis,
      Deadline deadline,
      Counts counts) {
    this.controller = controller;
    this.otherController = otherController;
    this.target = target;
    this.brokers = brokers;
    this.pauseMillis = pauseMillis;
    this.deadline = deadline;
    this.counts = counts;
  }

  @Override
  public void run() {
    for (int n = 0; deadline.open(); n++) {
      List<BrokerConnection> open = new ArrayList<>();
      try {
        once(n, open);
      } catch (IOException | RuntimeException e) {
        counts.failure("replay.own_session_failed", e);
      } finally {
        open.forEach(BrokerConnection::close);
      }
      LegitLoad.sleep(pauseMillis);
    }
  }

  private void once(int n, List<BrokerConnection> open) throws IOException {
    BrokerEndpoint owner = brokers.get(n % brokers.size());
    BrokerEndpoint other = brokers.get((n + 2) % brokers.size());
    BrokerConnection ctl = BrokerConnection.open(controller, owner);
    open.add(ctl);
    ctl.send(new Message.CodeRequest());
    Message.Code code = (Message.Code) ctl.read();
    BrokerConnection tgt = BrokerConnection.open(target, brokers.get((n + 1) % brokers.size()));
    open.add(tgt);
    tgt.send(new Message.Join(code.code()));
    Message m;
    do {
      m = ctl.read();
    } while (m instanceof Message.Pong);
    Message.Redirect r = (Message.Redirect) m;
    BrokerEndpoint joined =
        new BrokerEndpoint(r.brokerId(), r.host(), new InetSocketAddress(r.host(), r.port()));
    counts.add("replay.tickets_obtained");
    attach("replay.genuine_use", controller, joined, r.ticket(), open);
    attach("replay.same_cert", controller, joined, r.ticket(), open);
    attach("replay.other_cert", otherController, joined, r.ticket(), open);
    attach("replay.other_broker", controller, other, r.ticket(), open);
  }

  private void attach(
      String kind, ClientOptions who, BrokerEndpoint at, byte[] ticket, List<BrokerConnection> open)
      throws IOException {
    try {
      BrokerConnection c = BrokerConnection.open(who, at, new Message.Attach(ticket), null);
      open.add(c);
      Message m = c.read();
      boolean started = m instanceof Message.SessionStart;
      counts.add(kind + "." + (started ? "SESSION_START" : m.getClass().getSimpleName()));
      if (started && !kind.equals("replay.genuine_use")) {
        counts.add("replay.BREACH");
      }
    } catch (RefusedException e) {
      counts.add(kind + "." + e.code().name());
    }
  }
}
