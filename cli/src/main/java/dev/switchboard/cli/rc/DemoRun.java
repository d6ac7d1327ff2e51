package dev.switchboard.cli.rc;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.LatencyProbe;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.pki.Role;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.topology.Topology;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One run of the seed's six steps on a local topology: controller in one region, target in
 * another, timed from the clients' side, with data sent and verified both ways.
 */
final class DemoRun {
  static final int VERIFY_BYTES = 1 << 20;

  /** One timed step. */
  record Step(String name, long ms, String detail) {}

  /** Everything the demo reports. */
  record Result(String controllerBroker, String selectedBroker, Map<String, Double> latenciesMs,
      boolean redirected, long setupMs, long bytesVerified, List<Step> steps, long topologyStartMs, long totalMs) {}

  private final Topology topology;
  private final String controllerRegion;
  private final String targetRegion;
  private final Consumer<Step> live;
  private final List<String> failed;
  private final String restartRegionalLb;

  DemoRun(Topology topology, String controllerRegion, String targetRegion, List<String> failed,
      String restartRegionalLb, Consumer<Step> live) {
    this.topology = topology;
    this.controllerRegion = controllerRegion;
    this.targetRegion = targetRegion;
    this.failed = List.copyOf(failed);
    this.restartRegionalLb = restartRegionalLb;
    this.live = live;
  }

  Result run() throws Exception {
    topology.region(controllerRegion);
    topology.region(targetRegion);
    long start = System.nanoTime();
    Path dir = Files.createTempDirectory("switchboard-demo-");
    try (LocalTopology net = LocalTopology.start(topology, dir, LocalTopology.Options.fastFullPath(shift()))) {
      long upMs = ms(start);
      if (!failed.isEmpty()) {
        long t0 = System.nanoTime();
        for (String id : failed) {
          net.stopBroker(id);
        }
        awaitRoutedAway(net);
        live.accept(new Step("failover", ms(t0), "stopped " + String.join(", ", failed)
            + "; every POP now sends their hostnames to the next closest healthy region"));
      }
      ClientOptions alice = net.client(Role.CONTROLLER, "alice");
      ClientOptions t1 = net.client(Role.TARGET, "t1");
      Timeline tl = new Timeline();
      List<Step> steps = new ArrayList<>();

      // 1. The controller asks its nearest broker (by the same latency probe) for a code.
      long t = System.nanoTime();
      List<ProbeResult> ctlProbe = LatencyProbe.measure(alice, net.endpoints(controllerRegion));
      ProbeResult nearest = LatencyProbe.best(ctlProbe).orElseThrow(() -> new IOException("controller reaches no broker"));
      ctlProbe.forEach(r -> {
        if (r.connection() != null) {
          r.connection().close();
        }
      });
      long probedMs = ms(t);
      t = System.nanoTime();
      Controller c = Controller.requestCode(alice, nearest.endpoint(), net.resolver(controllerRegion), tl);
      add(steps, new Step("code", ms(t), "alice (" + controllerRegion + ") got code " + c.code() + " from "
          + c.brokerId() + ", its nearest broker (" + round(nearest.medianMs()) + " ms, probed in " + probedMs + " ms)"));
      CompletableFuture<Session> ctl = dev.switchboard.client.Blocking.supply(() -> firstByte(await(c), tl, true));

      // 2-6. The target probes every broker, joins the fastest; the mesh does the rest.
      Session tgt = firstByte(Target.join(t1, net.endpoints(targetRegion), c.code(), tl), tl, false);
      Session ctlSession = ctl.get();
      Map<String, Double> lat = new LinkedHashMap<>();
      tl.probed.stream().sorted(Comparator.comparing(r -> r.endpoint().id()))
          .forEach(r -> lat.put(r.endpoint().id(), r.reachable() ? round(r.medianMs()) : null));
      add(steps, new Step("probe", tl.between(tl.probeStart, tl.chose), "t1 (" + targetRegion + ") measured "
          + describe(tl.probed) + "; chose " + tl.chosen));
      boolean redirected = tl.redirected > 0;
      add(steps, new Step("join", tl.between(tl.joinSent, tl.joined), "t1 sent the code to " + tl.chosen
          + (redirected ? "; the owner confirmed the claim over the mesh" : "; the code was local")));
      if (redirected) {
        add(steps, new Step("mesh-claim", tl.between(tl.joinSent, tl.redirected), tl.chosen + " claimed the code from "
            + c.brokerId() + ", which redirected alice with a signed ticket"));
        add(steps, new Step("redirect", tl.between(tl.redirected, tl.reconnected), "alice reconnected to " + tl.chosen
            + " (TCP + TLS 1.3 handshakes)"));
        add(steps, new Step("attach", tl.between(tl.reconnected, tl.controllerStart), "alice attached with the ticket (HELLO + ATTACH in one flight)"));
      }
      long bothStarted = Math.max(tl.controllerStart, tl.targetStart);
      long firstBytes = Math.max(tl.controllerFirstByte, tl.targetFirstByte);
      add(steps, new Step("relay", tl.between(bothStarted, firstBytes), "first relayed byte each way via " + tgt.brokerId()));
      long setupMs = tl.between(tl.joinSent, firstBytes);

      t = System.nanoTime();
      long verified = verify(ctlSession, tgt);
      add(steps, new Step("verify", ms(t), verified + " bytes sent and checked (SHA-256) across the session"));
      if (restartRegionalLb != null) {
        verified += restartRegionalLb(net, ctlSession, tgt, alice, t1, steps);
      }
      ctlSession.close();
      tgt.close();
      c.close();
      return new Result(c.brokerId(), tl.chosen, lat, redirected, setupMs, verified, steps, upMs, ms(start));
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Stops region R's load balancer while the session runs, shows the session (relayed elsewhere)
   * is untouched, starts it again, waits until the POPs send R's hostnames home, and runs a new
   * session whose target is in R. Returns the bytes verified on the way.
   */
  private long restartRegionalLb(LocalTopology net, Session ctl, Session tgt, ClientOptions alice,
      ClientOptions t1, List<Step> steps) throws Exception {
    String r = restartRegionalLb;
    long t = System.nanoTime();
    net.stopRegionalLb(r);
    List<String> home = topology.brokers().stream().filter(b -> b.region().equals(r)).map(Topology.BrokerSpec::id).toList();
    for (int i = 0; i < 600 && !routedAway(net, home); i++) {
      Thread.sleep(50);
    }
    long verified = verify(ctl, tgt);
    add(steps, new Step("lb-stopped", ms(t), "stopped the " + r + " regional load balancer; the POPs took " + r
        + " out of rotation; the running session via " + tgt.brokerId() + " still relayed " + verified + " bytes intact"));
    t = System.nanoTime();
    net.startRegionalLb(r);
    for (int i = 0; i < 600 && !routedHome(net, home); i++) {
      Thread.sleep(50);
    }
    add(steps, new Step("lb-restarted", ms(t), r + " load balancer back; its brokers re-registered and every POP routes "
        + String.join(", ", home) + " home again"));
    t = System.nanoTime();
    Controller c = Controller.requestCode(alice, net.endpoints(controllerRegion).get(0), net.resolver(controllerRegion),
        SessionEvents.NONE);
    CompletableFuture<Session> cs = dev.switchboard.client.Blocking.supply(() -> await(c));
    Session again = Target.join(t1, net.endpoints(r), c.code(), SessionEvents.NONE);
    Session ctl2 = cs.get();
    long more = verify(ctl2, again);
    add(steps, new Step("new-session", ms(t), "a new session with the target in " + r + " runs via "
        + again.brokerId() + " (" + more + " bytes checked)"));
    ctl2.close();
    again.close();
    c.close();
    return verified + more;
  }

  private boolean routedAway(LocalTopology net, List<String> ids) {
    return topology.regions().stream().allMatch(p -> ids.stream().allMatch(id ->
        net.globalLb(p.id()).health().stream().noneMatch(h -> h.rule().equals("g-" + id)
            && h.name().equals(topology.broker(id).orElseThrow().region()) && h.up())));
  }

  private boolean routedHome(LocalTopology net, List<String> ids) {
    return topology.regions().stream().allMatch(p -> ids.stream().allMatch(id ->
        net.globalLb(p.id()).health().stream().anyMatch(h -> h.rule().equals("g-" + id)
            && h.name().equals(topology.broker(id).orElseThrow().region()) && h.up())));
  }

  /** Waits until no POP sends a stopped broker's hostname to its home region any more. */
  private void awaitRoutedAway(LocalTopology net) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      boolean away = topology.regions().stream().allMatch(r -> failed.stream().allMatch(id ->
          net.globalLb(r.id()).health().stream().noneMatch(h -> h.rule().equals("g-" + id)
              && h.name().equals(topology.broker(id).orElseThrow().region()) && h.up())));
      if (away) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /** A second octet of its own, so a demo never collides with {@code switchboard up} or another demo. */
  private static int shift() {
    return 100 + (int) (ProcessHandle.current().pid() % 100);
  }

  private void add(List<Step> steps, Step s) {
    steps.add(s);
    live.accept(s);
  }

  private static Session await(Controller c) {
    try {
      return c.awaitSession();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Sends one byte as soon as the session starts and waits for the peer's. */
  private static Session firstByte(Session s, Timeline tl, boolean controller) {
    try {
      s.output().write(controller ? 'C' : 'T');
      s.output().flush();
      int b = s.input().read();
      if (b != (controller ? 'T' : 'C')) {
        throw new IOException("first relayed byte was wrong: " + b);
      }
      if (controller) {
        tl.controllerFirstByte = System.nanoTime();
      } else {
        tl.targetFirstByte = System.nanoTime();
      }
      return s;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long verify(Session a, Session b) throws Exception {
    CompletableFuture<byte[]> ab = dev.switchboard.client.Blocking.supply(() -> send(a, 1));
    CompletableFuture<byte[]> ba = dev.switchboard.client.Blocking.supply(() -> send(b, 2));
    byte[] gotAtB = digestOf(b);
    byte[] gotAtA = digestOf(a);
    if (!MessageDigest.isEqual(ab.get(), gotAtB) || !MessageDigest.isEqual(ba.get(), gotAtA)) {
      throw new IOException("data corrupted in the relay: checksums differ");
    }
    return 2L * VERIFY_BYTES;
  }

  private static byte[] send(Session s, long seed) {
    try {
      byte[] data = new byte[VERIFY_BYTES];
      new Random(seed).nextBytes(data);
      s.output().write(data);
      s.output().flush();
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static byte[] digestOf(Session s) throws Exception {
    byte[] data = new byte[VERIFY_BYTES];
    new DataInputStream(s.input()).readFully(data);
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static String describe(List<ProbeResult> probed) {
    StringBuilder sb = new StringBuilder();
    probed.stream().sorted(Comparator.comparing(r -> r.endpoint().id())).forEach(r -> {
      sb.append(sb.length() == 0 ? "" : ", ").append(r.endpoint().id());
      if (r.reachable() && !r.servedBy().equals(r.endpoint().id())) {
        sb.append(" (failed over to ").append(r.servedBy()).append(')');
      }
      sb.append(' ').append(r.reachable() ? round(r.medianMs()) + " ms" : "unreachable");
    });
    return sb.toString();
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp directory
    }
  }

  /** Client-side timestamps (System.nanoTime) of each milestone. */
  static final class Timeline implements SessionEvents {
    volatile long probeStart = System.nanoTime();
    volatile long chose;
    volatile long joinSent;
    volatile long joined;
    volatile long redirected;
    volatile long reconnected;
    volatile long controllerStart;
    volatile long targetStart;
    volatile long controllerFirstByte;
    volatile long targetFirstByte;
    volatile String chosen;
    volatile List<ProbeResult> probed = List.of();

    @Override
    public void codeIssued(String code, String brokerId) {
      probeStart = System.nanoTime();
    }

    @Override
    public void probed(List<ProbeResult> results) {
      probed = results;
    }

    @Override
    public void chose(ProbeResult winner) {
      chose = System.nanoTime();
      chosen = winner.servedBy();
    }

    @Override
    public void joinSent(String brokerId) {
      joinSent = System.nanoTime();
      if (chosen == null) {
        chosen = brokerId;
      }
    }

    @Override
    public void joined(String sessionId) {
      joined = System.nanoTime();
    }

    @Override
    public void redirected(String brokerId, String host, int port) {
      redirected = System.nanoTime();
    }

    @Override
    public void reconnected(String brokerId) {
      reconnected = System.nanoTime();
    }

    @Override
    public void sessionStarted(Session session) {
      if (session.peerName().equals("t1")) {
        controllerStart = System.nanoTime();
      } else {
        targetStart = System.nanoTime();
        if (joined == 0) {
          joined = targetStart;
        }
      }
    }

    long between(long a, long b) {
      return a == 0 || b == 0 ? 0 : Math.max(0, (b - a) / 1_000_000);
    }
  }
}
