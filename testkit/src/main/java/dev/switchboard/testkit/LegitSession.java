package dev.switchboard.testkit;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an adversarial test checks while its attack is under way: a legitimate controller requests a
 * code, a target joins with it, and the session carries a few KiB each way intact.
 *
 * <pre>
 * // while 20 half-sent admin requests hang:
 * LegitSession.assertWorks(pki, broker);
 * </pre>
 */
public final class LegitSession {
  /** A bound for a loaded build machine, not a timing: only a broken session takes this long. */
  private static final Duration PATIENCE = Duration.ofSeconds(45);

  private static final int BYTES = 4 * 1024;

  /** Sends every redirect to loopback, where test brokers listen. */
  public static final Resolver LOOPBACK = (host, port) -> new InetSocketAddress("127.0.0.1", port);

  private static final AtomicInteger names = new AtomicInteger();

  private LegitSession() {}

  /** A controller and a target with fresh certificates, both on {@code broker}. */
  public static void assertWorks(TestPki pki, Broker broker) throws Exception {
    int n = names.incrementAndGet();
    assertWorks(
        pki.controllerOptions("legit-controller-" + n),
        pki.targetOptions("legit-target-" + n),
        broker);
  }

  /** The given controller and target (their certificates, bind addresses), both on {@code b}. */
  public static void assertWorks(ClientOptions controller, ClientOptions target, Broker b)
      throws Exception {
    BrokerEndpoint at = TestBrokers.endpoint(b);
    assertWorks(controller, at, target, List.of(at), LOOPBACK);
  }

  /**
   * The controller asks {@code controllerAt} for a code, the target joins it through {@code
   * targetAt} (the controller follows a redirect through {@code resolver}); then {@value #BYTES}
   * bytes go from controller to target and back. Fails if any step is refused, breaks or does not
   * finish within {@link #PATIENCE}.
   */
  public static void assertWorks(
      ClientOptions controller,
      BrokerEndpoint controllerAt,
      ClientOptions target,
      List<BrokerEndpoint> targetAt,
      Resolver resolver)
      throws Exception {
    List<AutoCloseable> open = new ArrayList<>();
    CompletableFuture<Void> run =
        Blocking.supply(
            () -> {
              try {
                setUpAndEcho(controller, controllerAt, target, targetAt, resolver, open);
                return null;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no legitimate session within " + PATIENCE.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new AssertionError("a legitimate session failed: " + e.getCause(), e);
    } finally {
      synchronized (open) {
        for (AutoCloseable c : open) {
          c.close(); // unblocks a step still waiting after a timeout
        }
      }
    }
  }

  private static void setUpAndEcho(
      ClientOptions controller,
      BrokerEndpoint controllerAt,
      ClientOptions target,
      List<BrokerEndpoint> targetAt,
      Resolver resolver,
      List<AutoCloseable> open)
      throws Exception {
    Controller c = Controller.requestCode(controller, controllerAt, resolver, SessionEvents.NONE);
    keep(open, c);
    CompletableFuture<Session> waiting =
        Blocking.supply(
            () -> {
              try {
                return keep(open, c.awaitSession());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    Session t = keep(open, Target.join(target, targetAt, c.code(), SessionEvents.NONE));
    Session ctl = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    byte[] sent = new byte[BYTES];
    new Random(BYTES).nextBytes(sent);
    ctl.output().write(sent);
    ctl.output().flush();
    byte[] arrived = t.input().readNBytes(BYTES);
    check(arrived, sent, "controller to target");
    t.output().write(arrived);
    t.output().flush();
    check(ctl.input().readNBytes(BYTES), sent, "target back to controller");
  }

  private static void check(byte[] got, byte[] sent, String way) {
    if (!Arrays.equals(got, sent)) {
      throw new AssertionError(
          way + ": " + got.length + " of " + sent.length + " bytes arrived, or not intact");
    }
  }

  private static <T extends AutoCloseable> T keep(List<AutoCloseable> open, T c) {
    synchronized (open) {
      open.add(0, c); // sessions first, then the controller's connection
    }
    return c;
  }
}
