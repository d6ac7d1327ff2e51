package dev.switchboard.localnet;

import dev.switchboard.config.Cidr;
import dev.switchboard.lb.Distribution;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A region's Standard load balancer: one frontend, rule and pool per broker hostname. A home
 * broker's rule sends to its own pool ({@code b-ID}), where that broker is the member of priority 0
 * and the region's other brokers are backups of priority 1 ({@code distribution: priority}): while
 * the broker is down its hostname is answered by a sibling, and the rule stays healthy for the
 * global tier. A hostname homed in another region sends to pool {@code region} (every broker of
 * this region), which is what the global tier's failover lands on. Brokers put themselves in these
 * pools with leases; an HTTP probe on each broker's {@code /healthz} takes a dead or draining
 * broker out. Each rule reads the PROXY v2 header of the POPs (and only theirs) and sends the
 * brokers its own, naming the same client, from {@link AddressPlan#regionalSource}: the one address
 * the region's brokers trust.
 */
final class RegionalTier implements AutoCloseable {
  static final String REGION_POOL = "region";
  private final String region;
  private final LoadBalancer lb;

  private RegionalTier(String region, LoadBalancer lb) {
    this.region = region;
    this.lb = lb;
  }

  /** Starts the region's lb; its admin token is kept in {@code tokenFile} for the brokers. */
  static RegionalTier start(
      Topology t, AddressPlan plan, String region, Duration probeInterval, Path tokenFile) {
    LbConfig c =
        LbConfig.empty()
            .withAdmin(plan.regionalAdmin(region), AddressPlan.REGIONAL_ADMIN_PORT)
            .withAdminTokenFile(tokenFile)
            .withProbe(
                ProbeConfig.http(
                    "broker-healthz", t.brokers().get(0).adminPort(), "/healthz", probeInterval, 2))
            .withPool(PoolConfig.of(REGION_POOL));
    // Every POP reaches every region over the backbone, whose relays keep the POP's source address.
    List<Cidr> pops = new ArrayList<>();
    for (Topology.Region r : t.regions()) {
      pops.add(Cidr.parse("trustedProxies", plan.popSource(r.id())));
    }
    for (Topology.BrokerSpec b : t.brokers()) {
      boolean home = b.region().equals(region);
      String pool = home ? pool(b) : REGION_POOL;
      if (home) {
        c = c.withPool(PoolConfig.of(pool));
      }
      c =
          c.withFrontend(new FrontendConfig("fe-" + b.id(), plan.regionalFrontend(region, b)))
              .withRule(
                  RuleConfig.builder(rule(b))
                      .frontend("fe-" + b.id())
                      .frontendPort(b.clientPort())
                      .protocol(Protocol.TCP)
                      .pool(pool)
                      .backendPort(b.clientPort())
                      .probe("broker-healthz")
                      .distribution(home ? Distribution.PRIORITY : Distribution.DEFAULT)
                      .trustedProxies(pops)
                      .proxyProtocol(true)
                      .sourceAddress(plan.regionalSource(region))
                      .idleTimeout(Duration.ofMinutes(30))
                      .build());
    }
    return new RegionalTier(region, LoadBalancer.start(c, 1));
  }

  static String pool(Topology.BrokerSpec b) {
    return "b-" + b.id();
  }

  static String rule(Topology.BrokerSpec b) {
    return "r-" + b.id();
  }

  String region() {
    return region;
  }

  LoadBalancer lb() {
    return lb;
  }

  @Override
  public void close() {
    lb.close();
  }
}
