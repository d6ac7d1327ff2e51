package dev.switchboard.client;

import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Ticket;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The controller's side of a session: get a code from the nearest broker, wait for the target,
 * follow a redirect to the broker the target chose, and hand back the relayed {@link Session}.
 */
public final class Controller implements AutoCloseable {
  private final ClientOptions opts;
  private final Resolver resolver;
  private final SessionEvents events;
  private final BrokerConnection conn;
  private final String code;
  private final Instant expiresAt;

  private Controller(
      ClientOptions opts,
      Resolver resolver,
      SessionEvents events,
      BrokerConnection conn,
      String code,
      Instant expiresAt) {
    this.opts = opts;
    this.resolver = resolver;
    this.events = events;
    this.conn = conn;
    this.code = code;
    this.expiresAt = expiresAt;
  }

  /** Connects to {@code broker} and requests a connection code. */
  public static Controller requestCode(
      ClientOptions opts, BrokerEndpoint broker, Resolver resolver, SessionEvents events)
      throws IOException {
    BrokerConnection c = BrokerConnection.open(opts, broker);
    try {
      c.send(new Message.CodeRequest());
      Message m = c.read();
      if (!(m instanceof Message.Code code)) {
        throw BrokerConnection.unexpected(m, "CODE");
      }
      events.codeIssued(code.code(), c.brokerId());
      return new Controller(
          opts, resolver, events, c, code.code(), Instant.ofEpochMilli(code.expiresAtMillis()));
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The code to give the target, as shown to people ({@code K7M2Q-X9P4T}). */
  public String code() {
    return code;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /** The broker that issued the code. */
  public String brokerId() {
    return conn.brokerId();
  }

  /**
   * Waits for the target (pinging the broker meanwhile), follows a redirect if the target chose
   * another broker, and returns the started session.
   */
  public Session awaitSession() throws IOException {
    ScheduledExecutorService keepalive =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-keepalive");
              t.setDaemon(true);
              return t;
            });
    long every = opts.keepalive().toMillis();
    keepalive.scheduleAtFixedRate(
        () -> {
          try {
            conn.send(new Message.Ping(0));
          } catch (IOException e) {
            // the read loop below reports the lost connection
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    try {
      while (true) {
        Message m;
        try {
          m = conn.read();
        } catch (EOFException e) {
          throw new IOException(
              "broker " + conn.brokerId() + " closed the connection while waiting for the target");
        }
        if (m instanceof Message.Pong) {
          continue;
        }
        if (m instanceof Message.SessionStart s) {
          keepalive.shutdownNow();
          BrokerEndpoint here = conn.endpoint();
          Session session =
              new Session(
                  conn,
                  s.sessionId(),
                  s.peerName(),
                  opts,
                  resume -> BrokerConnection.open(opts, here, resume, null),
                  events);
          events.sessionStarted(session);
          return session;
        }
        if (m instanceof Message.Redirect r) {
          keepalive.shutdownNow();
          events.redirected(r.brokerId(), r.host(), r.port());
          conn.close();
          return attach(r);
        }
        throw BrokerConnection.unexpected(m, "SESSION_START or REDIRECT");
      }
    } catch (SocketException e) {
      throw new IOException(
          "connection to broker "
              + conn.brokerId()
              + " lost while waiting for the target: "
              + e.getMessage());
    } finally {
      keepalive.shutdownNow();
    }
  }

  /**
   * Follows a redirect. The load-balancing tier may, for a moment, send the hostname to another
   * broker (a region failing over or coming back); then the controller retries until its ticket is
   * about to expire.
   */
  private Session attach(Message.Redirect r) throws IOException {
    long expires;
    try {
      expires = Ticket.parse(r.ticket()).expiresAtMillis();
    } catch (ProtocolException e) {
      throw new RefusedException(e.code(), "the broker sent an unreadable ticket");
    }
    while (true) {
      try {
        return attachOnce(r);
      } catch (WrongBrokerException | ConnectException | SSLException e) {
        if (System.currentTimeMillis() + 500 >= expires) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private Session attachOnce(Message.Redirect r) throws IOException {
    InetSocketAddress addr = resolver.resolve(r.host(), r.port());
    // ATTACH rides right behind HELLO: the reconnect costs TCP + TLS + one round trip.
    BrokerConnection c =
        BrokerConnection.open(
            opts,
            new BrokerEndpoint(r.brokerId(), r.host(), addr),
            new Message.Attach(r.ticket()),
            () -> events.reconnected(r.brokerId()));
    try {
      if (!c.brokerId().equals(r.brokerId())) {
        throw new WrongBrokerException(
            "redirected to " + r.brokerId() + " but " + r.host() + " reached " + c.brokerId());
      }
      Message m = c.read();
      if (!(m instanceof Message.SessionStart s)) {
        throw BrokerConnection.unexpected(m, "SESSION_START");
      }
      events.attached(c.brokerId());
      // A resumption dials the same hostname again: if its broker died, the load-balancing tier
      // sends it to another broker of the region, which must carry the name in its certificate.
      Session.Redial redial =
          resume ->
              BrokerConnection.open(
                  opts,
                  new BrokerEndpoint(r.brokerId(), r.host(), resolver.resolve(r.host(), r.port())),
                  resume,
                  null);
      Session session = new Session(c, s.sessionId(), s.peerName(), opts, redial, events);
      events.sessionStarted(session);
      return session;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The redirect's hostname reached a different broker than the one holding the session. */
  static final class WrongBrokerException extends IOException {
    private static final long serialVersionUID = 1L;

    WrongBrokerException(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    conn.close();
  }
}
