package dev.switchboard.bench;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Region failover on the seed topology's full path: both `in` brokers die (the second one is "the
 * last healthy broker"), then a target in `in` retries new sessions until one works; the time from
 * that death to the first working session is reported. Two kinds of target: one that probes every
 * broker (the normal client) and one that only knows broker-in-3's hostname (it depends on the POP
 * moving that hostname to the next region).
 *
 * <p>Usage: {@code java -cp bench.jar dev.switchboard.bench.RegionFailoverBench [ROUNDS]
 * [GLOBAL_PROBE_SECONDS]}
 */
public final class RegionFailoverBench {
  private RegionFailoverBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int probeSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Topology t = Topology.load(Path.of("examples", "seed-topology.yaml"));
    LocalTopology.Options opts =
        LocalTopology.Options.fullPath(230)
            .withProbes(Duration.ofSeconds(probeSeconds), Duration.ofSeconds(1));
    System.out.printf(
        "region failover, seed topology full path, global probe %d s x 2, regional probe 1 s x 2%n",
        probeSeconds);
    try (LocalTopology net = LocalTopology.start(t, Files.createTempDirectory("failover"), opts)) {
      ClientOptions alice = net.client(Role.CONTROLLER, "alice");
      ClientOptions t1 = net.client(Role.TARGET, "t1").withProbe(3, Duration.ofSeconds(2));
      for (int round = 1; round <= rounds; round++) {
        for (boolean allBrokers : new boolean[] {true, false}) {
          List<BrokerEndpoint> known =
              allBrokers ? net.endpoints("in") : List.of(net.endpoint("in", "broker-in-3"));
          net.stopBroker("broker-in-3");
          // The last healthy broker dies now: its listeners close at once, while the rest of its
          // shutdown runs on another thread, so the first attempt starts at the moment of death.
          long died = System.nanoTime();
          Thread killer = new Thread(() -> net.stopBroker("broker-in-4"));
          killer.start();
          String servedBy = null;
          int attempts = 0;
          while (servedBy == null && System.nanoTime() - died < TimeUnit.SECONDS.toNanos(60)) {
            attempts++;
            servedBy = trySession(net, alice, t1, known);
          }
          long ms = (System.nanoTime() - died) / 1_000_000;
          killer.join();
          System.out.printf(
              "RESULT round %d target knows %-11s: first session after %5d ms on %s (%d attempts)%n",
              round, allBrokers ? "all brokers" : "broker-in-3", ms, servedBy, attempts);
          net.startBroker("broker-in-3");
          net.startBroker("broker-in-4");
          waitHomeAgain(net);
        }
      }
    }
  }

  private static String trySession(
      LocalTopology net, ClientOptions alice, ClientOptions t1, List<BrokerEndpoint> known) {
    try (Controller c =
        Controller.requestCode(
            alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), SessionEvents.NONE)) {
      CompletableFuture<Session> cs =
          Blocking.supply(
              () -> {
                try {
                  return c.awaitSession();
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      Session s = Target.join(t1, known, c.code(), SessionEvents.NONE);
      Session ctl = cs.get(20, TimeUnit.SECONDS);
      ctl.output().write(1);
      ctl.output().flush();
      int b = s.input().read();
      String by = b == 1 ? s.brokerId() : null;
      s.close();
      ctl.close();
      return by;
    } catch (Exception e) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  private static void waitHomeAgain(LocalTopology net) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      boolean home =
          net.globalLb("in").health().stream()
              .filter(h -> h.rule().startsWith("g-broker-in") && h.name().equals("in"))
              .allMatch(h -> h.up());
      if (home) {
        return;
      }
      Thread.sleep(100);
    }
  }
}
