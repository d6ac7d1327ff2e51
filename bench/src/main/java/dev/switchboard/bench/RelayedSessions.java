package dev.switchboard.bench;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.net.ssl.SSLSocket;

/** Opens relayed sessions through one broker with the public client API. */
final class RelayedSessions {
  private RelayedSessions() {}

  /** Controller requests a code, target joins it; returns {controller's, target's} session. */
  static Session[] open(
      ClientOptions controller,
      ClientOptions target,
      BrokerEndpoint broker,
      ExecutorService waiters)
      throws IOException {
    Controller c = Controller.requestCode(controller, broker, Resolver.SYSTEM, SessionEvents.NONE);
    Future<Session> cs = waiters.submit(c::awaitSession);
    Session t;
    try {
      t = Target.join(target, List.of(broker), c.code(), SessionEvents.NONE);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    try {
      return new Session[] {cs.get(), t};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the controller waited", e);
    } catch (ExecutionException e) {
      t.close();
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  static Endpoints endpoints(Session controller, Session target) {
    return new Endpoints(
        controller.input(),
        controller.output(),
        target.input(),
        target.output(),
        cipherSuite(controller),
        () -> {
          controller.close();
          target.close();
        });
  }

  /**
   * The suite the controller negotiated with the broker. The client API does not expose its socket,
   * so this reads it reflectively, for the report only.
   */
  private static String cipherSuite(Session s) {
    try {
      var f = Session.class.getDeclaredField("conn");
      f.setAccessible(true);
      Object conn = f.get(s);
      var m = conn.getClass().getDeclaredMethod("socket");
      m.setAccessible(true);
      return ((SSLSocket) m.invoke(conn)).getSession().getCipherSuite();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "unknown";
    }
  }
}
