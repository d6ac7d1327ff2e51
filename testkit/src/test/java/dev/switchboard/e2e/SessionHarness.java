package dev.switchboard.e2e;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A controller and a target meeting through brokers, for tests. */
final class SessionHarness {
  final Session controller;
  final Session target;

  SessionHarness(Session controller, Session target) {
    this.controller = controller;
    this.target = target;
  }

  static SessionHarness connect(
      ClientOptions ctl,
      BrokerEndpoint ctlBroker,
      ClientOptions tgt,
      List<BrokerEndpoint> tgtBrokers)
      throws Exception {
    Controller c = Controller.requestCode(ctl, ctlBroker, Resolver.SYSTEM, SessionEvents.NONE);
    CompletableFuture<Session> cs =
        Blocking.supply(
            () -> {
              try {
                return c.awaitSession();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Session t = Target.join(tgt, tgtBrokers, c.code(), SessionEvents.NONE);
    return new SessionHarness(cs.get(), t);
  }
}
