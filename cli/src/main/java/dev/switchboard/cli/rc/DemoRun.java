package dev.switchboard.cli.rc;

import static dev.switchboard.cli.rc.DemoBytes.firstByte;
import static dev.switchboard.cli.rc.DemoBytes.verify;
import static dev.switchboard.cli.rc.DemoTimeline.describe;
import static dev.switchboard.cli.rc.DemoTimeline.ms;
import static dev.switchboard.cli.rc.DemoTimeline.round;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.LatencyProbe;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One run of the seed's six steps on a local topology: controller in one region, target in another,
 * timed from the clients' side ({@link DemoTimeline}), with data sent and verified both ways
 * ({@link DemoBytes}) once the POPs route as intended ({@link DemoRouting}).
 */
final class DemoRun {
  /** One timed step. */
  record Step(String name, long ms, String detail) {}

  /** Everything the demo reports. */
  record Result(
      String controllerBroker,
      String selectedBroker,
      Map<String, Double> latenciesMs,
      boolean redirected,
      long setupMs,
      long bytesVerified,
      List<Step> steps,
      long topologyStartMs,
      long totalMs) {}

  private final Topology topology;
  private final String controllerRegion;
  private final String targetRegion;
  private final Consumer<Step> live;
  private final List<String> failed;
  private final String restartRegionalLb;
  private final boolean killRelayBroker;
  private final DemoRouting routing;

  DemoRun(
      Topology topology,
      String controllerRegion,
      String targetRegion,
      List<String> failed,
      String restartRegionalLb,
      boolean killRelayBroker,
      Consumer<Step> live) {
    this.topology = topology;
    this.controllerRegion = controllerRegion;
    this.targetRegion = targetRegion;
    this.failed = List.copyOf(failed);
    this.restartRegionalLb = restartRegionalLb;
    this.killRelayBroker = killRelayBroker;
    this.live = live;
    this.routing = new DemoRouting(topology);
  }

  Result run() throws Exception {
    topology.region(controllerRegion);
    topology.region(targetRegion);
    long start = System.nanoTime();
    Path dir = Files.createTempDirectory("switchboard-demo-");
    try (LocalTopology net =
        LocalTopology.start(
            topology, dir, LocalTopology.Options.fastFullPath(shift()).withBrokerProcesses(true))) {
      long upMs = ms(start);
      if (!failed.isEmpty()) {
        long t0 = System.nanoTime();
        for (String id : failed) {
          net.stopBroker(id);
        }
        String how = routing.awaitFailedOver(net, failed);
        live.accept(
            new Step("failover", ms(t0), "stopped " + String.join(", ", failed) + "; " + how));
      }
      ClientOptions alice = net.client(Role.CONTROLLER, "alice");
      ClientOptions t1 = net.client(Role.TARGET, "t1");
      DemoTimeline tl = new DemoTimeline(live);

      // 1. The controller asks its nearest broker (by the same latency probe) for a code.
      long t = System.nanoTime();
      List<ProbeResult> ctlProbe = LatencyProbe.measure(alice, net.endpoints(controllerRegion));
      ProbeResult nearest =
          LatencyProbe.best(ctlProbe)
              .orElseThrow(() -> new IOException("controller reaches no broker"));
      ctlProbe.forEach(
          r -> {
            if (r.connection() != null) {
              r.connection().close();
            }
          });
      long probedMs = ms(t);
      t = System.nanoTime();
      Controller c =
          Controller.requestCode(alice, nearest.endpoint(), net.resolver(controllerRegion), tl);
      tl.add(
          new Step(
              "code",
              ms(t),
              "alice ("
                  + controllerRegion
                  + ") got code "
                  + c.code()
                  + " from "
                  + c.brokerId()
                  + ", its nearest broker ("
                  + round(nearest.medianMs())
                  + " ms, probed in "
                  + probedMs
                  + " ms)"));
      CompletableFuture<Session> ctl = Blocking.supply(() -> firstByte(await(c), tl, true));

      // 2-6. The target probes every broker, joins the fastest; the mesh does the rest.
      Session tgt =
          firstByte(Target.join(t1, net.endpoints(targetRegion), c.code(), tl), tl, false);
      Session ctlSession = ctl.get();
      Map<String, Double> lat = new LinkedHashMap<>();
      tl.probed.stream()
          .sorted(Comparator.comparing(r -> r.endpoint().id()))
          .forEach(r -> lat.put(r.endpoint().id(), r.reachable() ? round(r.medianMs()) : null));
      tl.add(
          new Step(
              "probe",
              tl.between(tl.probeStart, tl.chose),
              "t1 ("
                  + targetRegion
                  + ") measured "
                  + describe(tl.probed)
                  + "; chose "
                  + tl.chosen));
      boolean redirected = tl.redirected > 0;
      tl.add(
          new Step(
              "join",
              tl.between(tl.joinSent, tl.joined),
              "t1 sent the code to "
                  + tl.chosen
                  + (redirected
                      ? "; the owner confirmed the claim over the mesh"
                      : "; the code was local")));
      if (redirected) {
        tl.add(
            new Step(
                "mesh-claim",
                tl.between(tl.joinSent, tl.redirected),
                tl.chosen
                    + " claimed the code from "
                    + c.brokerId()
                    + ", which redirected alice with a signed ticket"));
        tl.add(
            new Step(
                "redirect",
                tl.between(tl.redirected, tl.reconnected),
                "alice reconnected to " + tl.chosen + " (TCP + TLS 1.3 handshakes)"));
        tl.add(
            new Step(
                "attach",
                tl.between(tl.reconnected, tl.controllerStart),
                "alice attached with the ticket (HELLO + ATTACH in one flight)"));
      }
      long bothStarted = Math.max(tl.controllerStart, tl.targetStart);
      long firstBytes = Math.max(tl.controllerFirstByte, tl.targetFirstByte);
      tl.add(
          new Step(
              "relay",
              tl.between(bothStarted, firstBytes),
              "first relayed byte each way via " + tgt.brokerId()));
      long setupMs = tl.between(tl.joinSent, firstBytes);

      t = System.nanoTime();
      long verified = verify(ctlSession, tgt);
      tl.add(
          new Step(
              "verify", ms(t), verified + " bytes sent and checked (SHA-256) across the session"));
      if (restartRegionalLb != null) {
        verified += restartRegionalLb(net, ctlSession, tgt, alice, t1, tl);
      }
      if (killRelayBroker) {
        verified += DemoKill.killRelay(net, ctlSession, tgt, live);
      }
      ctlSession.close();
      tgt.close();
      c.close();
      return new Result(
          c.brokerId(), tl.chosen, lat, redirected, setupMs, verified, tl.steps(), upMs, ms(start));
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Stops region R's load balancer while the session runs, shows the session (relayed elsewhere) is
   * untouched, starts it again, waits until the POPs send R's hostnames home, and runs a new
   * session whose target is in R. Returns the bytes verified on the way.
   */
  private long restartRegionalLb(
      LocalTopology net,
      Session ctl,
      Session tgt,
      ClientOptions alice,
      ClientOptions t1,
      DemoTimeline tl)
      throws Exception {
    String r = restartRegionalLb;
    long t = System.nanoTime();
    net.stopRegionalLb(r);
    List<String> home =
        topology.brokers().stream()
            .filter(b -> b.region().equals(r))
            .map(Topology.BrokerSpec::id)
            .toList();
    routing.awaitRoutedAway(net, home);
    long verified = verify(ctl, tgt);
    tl.add(
        new Step(
            "lb-stopped",
            ms(t),
            "stopped the "
                + r
                + " regional load balancer; the POPs took "
                + r
                + " out of rotation; the running session via "
                + tgt.brokerId()
                + " still relayed "
                + verified
                + " bytes intact"));
    t = System.nanoTime();
    net.startRegionalLb(r);
    routing.awaitRoutedHome(net, home);
    tl.add(
        new Step(
            "lb-restarted",
            ms(t),
            r
                + " load balancer back; its brokers re-registered and every POP routes "
                + String.join(", ", home)
                + " home again"));
    t = System.nanoTime();
    Controller c =
        Controller.requestCode(
            alice,
            net.endpoints(controllerRegion).get(0),
            net.resolver(controllerRegion),
            SessionEvents.NONE);
    CompletableFuture<Session> cs = Blocking.supply(() -> await(c));
    Session again = Target.join(t1, net.endpoints(r), c.code(), SessionEvents.NONE);
    Session ctl2 = cs.get();
    long more = verify(ctl2, again);
    tl.add(
        new Step(
            "new-session",
            ms(t),
            "a new session with the target in "
                + r
                + " runs via "
                + again.brokerId()
                + " ("
                + more
                + " bytes checked)"));
    ctl2.close();
    again.close();
    c.close();
    return verified + more;
  }

  /**
   * A second octet of its own, so a demo never collides with {@code switchboard up} or another
   * demo.
   */
  private static int shift() {
    return 100 + (int) (ProcessHandle.current().pid() % 100);
  }

  private static Session await(Controller c) {
    try {
      return c.awaitSession();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp directory
    }
  }
}
