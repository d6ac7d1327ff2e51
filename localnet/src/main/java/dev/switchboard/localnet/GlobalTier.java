package dev.switchboard.localnet;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.Distribution;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cross-region load balancer as seen at one point of presence: one "anycast" frontend per
 * broker hostname, whose pool holds that hostname's regional frontend in every region (reached over
 * the backbone): its home region first, then the others by round trip from this POP. An HTTP probe
 * polls each regional rule's {@code /rules/r-ID/health}; a region whose frontend has no healthy
 * broker leaves rotation and the next closest takes new flows. Clients connect here directly, so no
 * PROXY header is accepted (a client's own is refused); the POP sends its own, from {@link
 * AddressPlan#popSource}, which the regional lbs trust.
 */
final class GlobalTier implements AutoCloseable {
  private final String pop;
  private final LoadBalancer lb;

  private GlobalTier(String pop, LoadBalancer lb) {
    this.pop = pop;
    this.lb = lb;
  }

  static GlobalTier start(Topology t, AddressPlan plan, String popRegion, Duration probeInterval) {
    LbConfig c =
        LbConfig.empty().withAdmin(plan.globalAdmin(popRegion), AddressPlan.GLOBAL_ADMIN_PORT);
    for (Topology.BrokerSpec b : t.brokers()) {
      List<Backend> regions = new ArrayList<>();
      for (Topology.Region x : t.regions()) {
        regions.add(
            new Backend(
                plan.backbone(popRegion, x.id(), b), x.id(), priority(t, popRegion, x.id(), b)));
      }
      String probe = "regional-" + b.id();
      c =
          c.withFrontend(new FrontendConfig("g-" + b.id(), plan.pop(popRegion, b)))
              .withPool(new PoolConfig("g-" + b.id(), regions))
              .withProbe(
                  ProbeConfig.http(
                      probe,
                      AddressPlan.REGIONAL_ADMIN_PORT,
                      "/rules/" + RegionalTier.rule(b) + "/health",
                      probeInterval,
                      2))
              .withRule(
                  RuleConfig.builder("g-" + b.id())
                      .frontend("g-" + b.id())
                      .frontendPort(b.clientPort())
                      .protocol(Protocol.TCP)
                      .pool("g-" + b.id())
                      .backendPort(b.clientPort())
                      .probe(probe)
                      .distribution(Distribution.PRIORITY)
                      .proxyProtocol(true)
                      .sourceAddress(plan.popSource(popRegion))
                      .idleTimeout(Duration.ofMinutes(30))
                      .build());
    }
    return new GlobalTier(popRegion, LoadBalancer.start(c, 1));
  }

  /**
   * The hostname's home region first (priority 0); when it has no healthy broker, the region
   * closest to this POP (priority = 1 + round trip in ms).
   */
  static int priority(Topology t, String popRegion, String region, Topology.BrokerSpec b) {
    return region.equals(b.region()) ? 0 : 1 + t.simulation().rttMs(popRegion, region);
  }

  String pop() {
    return pop;
  }

  LoadBalancer lb() {
    return lb;
  }

  @Override
  public void close() {
    lb.close();
  }
}
