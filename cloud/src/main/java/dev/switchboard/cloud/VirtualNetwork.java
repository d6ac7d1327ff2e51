package dev.switchboard.cloud;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A virtual network with the one subnet container groups are deployed in. */
public record VirtualNetwork(
    String name, String addressPrefix, Subnet subnet, Map<String, String> tags) {
  public VirtualNetwork {
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /**
   * The network seed 004 creates for an IP's load balancer: a subnet delegated to container groups.
   */
  public static VirtualNetwork forLoadBalancer(
      String ipName, String addressPrefix, String subnetPrefix) {
    return new VirtualNetwork(
        Names.vnet(ipName),
        addressPrefix,
        new Subnet(Names.subnet(ipName), subnetPrefix, Subnet.CONTAINER_GROUPS),
        Tags.vnet(Names.loadBalancer(ipName)));
  }
}
