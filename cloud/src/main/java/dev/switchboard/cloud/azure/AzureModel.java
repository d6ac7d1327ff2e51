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
import com.azure.resourcemanager.network.models.TransportProtocol;
import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.HealthProbe;
import dev.switchboard.cloud.LbRule;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Protocol;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads ARM resources (inner models) back into the cloud model. */
final class AzureModel {
  private AzureModel() {}

  static PublicIp publicIp(PublicIpAddressInner ip) {
    return new PublicIp(ip.name(), ip.ipAddress(), ip.tags() == null ? Map.of() : ip.tags());
  }

  /**
   * The load balancer; each rule's owner is found from the {@code exposed_ports} tags of {@code
   * groups}.
   */
  static LoadBalancer loadBalancer(LoadBalancerInner lb, List<ContainerGroupInner> groups) {
    Map<String, String> owners = new HashMap<>();
    for (ContainerGroupInner g : groups) {
      Map<String, String> t = g.tags() == null ? Map.of() : g.tags();
      List<ExposedPort> ports =
          ContainerResources.parsePorts(t.get(ContainerResources.EXPOSED_PORTS));
      if (lb.name().equals(t.get(Tags.LB_NAME)) && !ports.isEmpty()) {
        GroupRouting.of(g.name(), ports).rules().forEach(r -> owners.put(r.name(), g.name()));
      }
    }
    List<LbRule> rules = new ArrayList<>();
    for (LoadBalancingRuleInner r : nonNull(lb.loadBalancingRules())) {
      rules.add(
          new LbRule(
              r.name(),
              TransportProtocol.UDP.equals(r.protocol()) ? Protocol.UDP : Protocol.TCP,
              r.frontendPort(),
              r.backendPort(),
              last(r.probe()),
              owners.getOrDefault(r.name(), "(unknown)")));
    }
    List<HealthProbe> probes = new ArrayList<>();
    for (ProbeInner p : nonNull(lb.probes())) {
      int interval =
          p.intervalInSeconds() == null ? HealthProbe.INTERVAL_SECONDS : p.intervalInSeconds();
      int threshold = p.probeThreshold() == null ? HealthProbe.THRESHOLD : p.probeThreshold();
      probes.add(new HealthProbe(p.name(), p.port(), interval, threshold));
    }
    List<BackendAddress> backends = new ArrayList<>();
    for (LoadBalancerBackendAddress a : poolAddresses(lb)) {
      backends.add(new BackendAddress(a.name(), a.ipAddress(), last(a.virtualNetwork())));
    }
    Map<String, String> tags = lb.tags() == null ? Map.of() : lb.tags();
    String frontend =
        nonNull(lb.frontendIpConfigurations()).isEmpty()
            ? null
            : lb.frontendIpConfigurations().get(0).name();
    String pool =
        nonNull(lb.backendAddressPools()).isEmpty() ? null : lb.backendAddressPools().get(0).name();
    return new LoadBalancer(
        lb.name(), tags.get(Tags.PUBLIC_IP_NAME), frontend, pool, rules, probes, backends, tags);
  }

  static List<LoadBalancerBackendAddress> poolAddresses(LoadBalancerInner lb) {
    if (nonNull(lb.backendAddressPools()).isEmpty()) {
      return List.of();
    }
    return addresses(lb.backendAddressPools().get(0));
  }

  static List<LoadBalancerBackendAddress> addresses(BackendAddressPoolInner pool) {
    return pool == null ? List.of() : nonNull(pool.loadBalancerBackendAddresses());
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
    int healthPort =
        lbName != null && !ports.isEmpty() ? GroupRouting.of(g.name(), ports).probe().port() : 0;
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
        null);
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
