package dev.switchboard.cli.rc;

import dev.switchboard.lb.BackendHealth;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits until every POP's global load balancer routes brokers' hostnames away from their home
 * region (it is down) or back home (it is up again); after about 30 s it fails naming each POP that
 * does not.
 */
final class DemoRouting {
  private static final int ATTEMPTS = 600;
  private static final long PAUSE_MS = 50;

  private final Topology topology;

  DemoRouting(Topology topology) {
    this.topology = topology;
  }

  /**
   * Waits until the hostnames of the stopped brokers {@code ids} are answered elsewhere: by a
   * broker of the same region (its regional lb took the stopped one out of its rule; the POPs still
   * route home) or, for a region with no broker left, by the next closest region (every POP routes
   * away). Returns what happened, as a phrase.
   */
  String awaitFailedOver(LocalTopology net, List<String> ids) throws InterruptedException {
    List<String> regionDown = new ArrayList<>();
    List<String> sibling = new ArrayList<>();
    for (String id : ids) {
      String region = topology.broker(id).orElseThrow().region();
      boolean left =
          topology.brokers().stream()
              .anyMatch(b -> b.region().equals(region) && !ids.contains(b.id()));
      (left ? sibling : regionDown).add(id);
    }
    await(net, regionDown, false);
    List<String> wrong = regionalWrong(net, sibling);
    for (int i = 0; i < ATTEMPTS && !wrong.isEmpty(); i++) {
      Thread.sleep(PAUSE_MS);
      wrong = regionalWrong(net, sibling);
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(
          "the regional load balancers did not fail over within "
              + ATTEMPTS * PAUSE_MS / 1000
              + " s: "
              + String.join("; ", wrong));
    }
    List<String> said = new ArrayList<>();
    if (!sibling.isEmpty()) {
      said.add(
          "their regional lb sends "
              + String.join(", ", sibling)
              + "'s hostname to the region's other broker");
    }
    if (!regionDown.isEmpty()) {
      said.add(
          "every POP sends "
              + String.join(", ", regionDown)
              + "'s hostname to the next closest healthy region");
    }
    return String.join("; ", said);
  }

  /** Each stopped broker its regional lb still counts as up in its own rule, as a phrase. */
  private List<String> regionalWrong(LocalTopology net, List<String> ids) {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      String region = topology.broker(id).orElseThrow().region();
      var lb = net.regionalLb(region);
      if (lb == null) {
        continue;
      }
      boolean up =
          lb.health().stream()
              .anyMatch(h -> h.rule().equals("r-" + id) && h.name().equals(id) && h.up());
      if (up) {
        out.add("region " + region + "'s load balancer still sends " + id + "'s hostname to it");
      }
    }
    return out;
  }

  /** Waits until no POP sends any of {@code ids}' hostnames to its home region any more. */
  void awaitRoutedAway(LocalTopology net, List<String> ids) throws InterruptedException {
    await(net, ids, false);
  }

  /** Waits until every POP sends each of {@code ids}' hostnames to its home region again. */
  void awaitRoutedHome(LocalTopology net, List<String> ids) throws InterruptedException {
    await(net, ids, true);
  }

  private void await(LocalTopology net, List<String> ids, boolean home)
      throws InterruptedException {
    List<String> wrong = wrong(net, ids, home);
    for (int i = 0; i < ATTEMPTS && !wrong.isEmpty(); i++) {
      Thread.sleep(PAUSE_MS);
      wrong = wrong(net, ids, home);
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(
          "the points of presence did not route as expected within "
              + ATTEMPTS * PAUSE_MS / 1000
              + " s: "
              + String.join("; ", wrong));
    }
  }

  /** Each (POP, broker) whose routing is not yet {@code home} (or away), as a phrase. */
  private List<String> wrong(LocalTopology net, List<String> ids, boolean home) {
    List<String> out = new ArrayList<>();
    for (Topology.Region p : topology.regions()) {
      List<BackendHealth> health = net.globalLb(p.id()).health();
      for (String id : ids) {
        String region = topology.broker(id).orElseThrow().region();
        boolean routedHome =
            health.stream()
                .anyMatch(h -> h.rule().equals("g-" + id) && h.name().equals(region) && h.up());
        if (routedHome != home) {
          out.add(
              "region "
                  + p.id()
                  + "'s POP still "
                  + (home ? "does not route " : "routes ")
                  + id
                  + " to its home region "
                  + region);
        }
      }
    }
    return out;
  }
}
