package dev.switchboard.cli.rc;

import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.topology.Topology;
import java.util.List;

/**
 * Waits until every POP's global load balancer routes brokers' hostnames away from their home
 * region (it is down) or back home (it is up again); gives up after about 30 s.
 */
final class DemoRouting {
  private static final int ATTEMPTS = 600;
  private static final long PAUSE_MS = 50;

  private final Topology topology;

  DemoRouting(Topology topology) {
    this.topology = topology;
  }

  /** Waits until no POP sends any of {@code ids}' hostnames to its home region any more. */
  void awaitRoutedAway(LocalTopology net, List<String> ids) throws InterruptedException {
    for (int i = 0; i < ATTEMPTS && !routedAway(net, ids); i++) {
      Thread.sleep(PAUSE_MS);
    }
  }

  /** Waits until every POP sends each of {@code ids}' hostnames to its home region again. */
  void awaitRoutedHome(LocalTopology net, List<String> ids) throws InterruptedException {
    for (int i = 0; i < ATTEMPTS && !routedHome(net, ids); i++) {
      Thread.sleep(PAUSE_MS);
    }
  }

  private boolean routedAway(LocalTopology net, List<String> ids) {
    return topology.regions().stream()
        .allMatch(
            p ->
                ids.stream()
                    .allMatch(
                        id ->
                            net.globalLb(p.id()).health().stream()
                                .noneMatch(
                                    h ->
                                        h.rule().equals("g-" + id)
                                            && h.name()
                                                .equals(topology.broker(id).orElseThrow().region())
                                            && h.up())));
  }

  private boolean routedHome(LocalTopology net, List<String> ids) {
    return topology.regions().stream()
        .allMatch(
            p ->
                ids.stream()
                    .allMatch(
                        id ->
                            net.globalLb(p.id()).health().stream()
                                .anyMatch(
                                    h ->
                                        h.rule().equals("g-" + id)
                                            && h.name()
                                                .equals(topology.broker(id).orElseThrow().region())
                                            && h.up())));
  }
}
