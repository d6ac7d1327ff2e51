package dev.switchboard.cloud.azure;

import com.azure.core.management.SubResource;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancingRuleInner;
import com.azure.resourcemanager.network.fluent.models.ProbeInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.models.LoadBalancerBackendAddress;
import com.azure.resourcemanager.network.models.ProbeNoHealthyBackendsBehavior;
import com.azure.resourcemanager.network.models.ProbeProtocol;
import com.azure.resourcemanager.network.models.TransportProtocol;
import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.HealthPort;
import dev.switchboard.cloud.HealthProbe;
import dev.switchboard.cloud.LbRule;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.Protocol;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads ARM resources (inner models) back into the cloud model. */
final class AzureModel {
  private static final String POOL_PREFIX = Names.groupPool("");

  private AzureModel() {}

  static PublicIp publicIp(PublicIpAddressInner ip) {
    return new PublicIp(ip.name(), ip.ipAddress(), ip.tags() == null ? Map.of() : ip.tags());
  }

  /** The load balancer; a rule's owner is the group whose pool ({@code pool-<group>}) it uses. */
  static LoadBalancer loadBalancer(LoadBalancerInner lb) {
    List<LbRule> rules = new ArrayList<>();
    for (LoadBalancingRuleInner r : nonNull(lb.loadBalancingRules())) {
      String pool = last(r.backendAddressPool());
      String group =
          pool != null && pool.startsWith(POOL_PREFIX)
              ? pool.substring(POOL_PREFIX.length())
              : "(unknown)";
      rules.add(
          new LbRule(
              r.name(),
              TransportProtocol.UDP.equals(r.protocol()) ? Protocol.UDP : Protocol.TCP,
              r.frontendPort(),
              r.backendPort(),
              last(r.probe()),
              group,
              pool));
    }
    List<HealthProbe> probes = new ArrayList<>();
    for (ProbeInner p : nonNull(lb.probes())) {
      int interval =
          p.intervalInSeconds() == null ? HealthProbe.INTERVAL_SECONDS : p.intervalInSeconds();
      int threshold = p.probeThreshold() == null ? HealthProbe.THRESHOLD : p.probeThreshold();
      probes.add(
          new HealthProbe(
              p.name(),
              ProbeProtocol.HTTP.equals(p.protocol())
                  ? HealthProbe.Kind.HTTP
                  : HealthProbe.Kind.TCP,
              p.port(),
              p.requestPath(),
              interval,
              threshold,
              ProbeNoHealthyBackendsBehavior.ALL_PROBED_UP.equals(p.noHealthyBackendsBehavior())));
    }
    List<BackendAddress> backends = new ArrayList<>();
    for (BackendAddressPoolInner pool : nonNull(lb.backendAddressPools())) {
      for (LoadBalancerBackendAddress a : addresses(pool)) {
        backends.add(new BackendAddress(a.name(), a.ipAddress(), last(a.virtualNetwork())));
      }
    }
    Map<String, String> tags = lb.tags() == null ? Map.of() : lb.tags();
    String frontend =
        nonNull(lb.frontendIpConfigurations()).isEmpty()
            ? null
            : lb.frontendIpConfigurations().get(0).name();
    String pool = Names.backendPool(tags.getOrDefault(Tags.PUBLIC_IP_NAME, ""));
    return new LoadBalancer(
        lb.name(), tags.get(Tags.PUBLIC_IP_NAME), frontend, pool, rules, probes, backends, tags);
  }

  static List<LoadBalancerBackendAddress> addresses(BackendAddressPoolInner pool) {
    return pool == null ? List.of() : nonNull(pool.loadBalancerBackendAddresses());
  }

  /** The probe a group's tags ask for, or null when it is not load-balanced. */
  static HealthProbe probe(String name, Map<String, String> tags) {
    List<ExposedPort> ports =
        ContainerResources.parsePorts(tags.get(ContainerResources.EXPOSED_PORTS));
    if (tags.get(Tags.LB_NAME) == null || ports.isEmpty()) {
      return null;
    }
    String health = tags.get(Tags.HEALTH_PORT);
    return GroupRouting.of(name, ports, health == null ? null : HealthPort.parse(health)).probe();
  }

  static ContainerGroup group(ContainerGroupInner g) {
    Map<String, String> t = g.tags() == null ? Map.of() : g.tags();
    List<ExposedPort> ports =
        ContainerResources.parsePorts(t.get(ContainerResources.EXPOSED_PORTS));
    Container c = nonNull(g.containers()).isEmpty() ? null : g.containers().get(0);
    String task = null;
    if (c != null && c.command() != null && c.command().size() == 3) {
      task = c.command().get(2);
    }
    String ip = g.ipAddress() == null ? null : g.ipAddress().ip();
    boolean isPrivate =
        g.ipAddress() != null && ContainerGroupIpAddressType.PRIVATE.equals(g.ipAddress().type());
    String state =
        g.instanceView() != null && g.instanceView().state() != null
            ? g.instanceView().state()
            : g.provisioningState();
    int restarts =
        c != null && c.instanceView() != null && c.instanceView().restartCount() != null
            ? c.instanceView().restartCount()
            : 0;
    String lbName = t.get(Tags.LB_NAME);
    HealthProbe probe = probe(g.name(), t);
    int healthPort = probe == null ? 0 : probe.port();
    return new ContainerGroup(
        g.name(),
        c == null ? null : c.image(),
        task,
        ports,
        lbName == null ? null : t.get(Tags.PUBLIC_IP_NAME),
        lbName,
        isPrivate ? ip : null,
        isPrivate ? null : ip,
        state,
        g.restartPolicy() == null
            ? RestartPolicy.ALWAYS
            : RestartPolicy.parse(g.restartPolicy().toString()),
        restarts,
        healthPort,
        null,
        probe,
        ContainerGroup.Status.UNKNOWN);
  }

  private static String last(SubResource r) {
    if (r == null || r.id() == null) {
      return null;
    }
    return r.id().substring(r.id().lastIndexOf('/') + 1);
  }

  private static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }
}
