package dev.switchboard.cloud;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Standard load balancer: a frontend on a public IP, one IP-based backend pool, rules, probes and
 * tags.
 */
public record LoadBalancer(
    String name,
    String publicIpName,
    String frontendName,
    String backendPoolName,
    List<LbRule> rules,
    List<HealthProbe> probes,
    List<BackendAddress> backends,
    Map<String, String> tags) {

  public static final String SKU = "Standard";

  public LoadBalancer {
    rules = List.copyOf(rules);
    probes = List.copyOf(probes);
    backends = List.copyOf(backends);
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** The empty load balancer {@code ip create --with-load-balancer} makes for an IP. */
  public static LoadBalancer fresh(String ipName) {
    return new LoadBalancer(
        Names.loadBalancer(ipName),
        ipName,
        Names.frontend(ipName),
        Names.backendPool(ipName),
        List.of(),
        List.of(),
        List.of(),
        Tags.loadBalancer(ipName));
  }
}
