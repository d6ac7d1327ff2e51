package dev.switchboard.cloud.azure;

import com.azure.core.management.SubResource;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.FrontendIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancingRuleInner;
import com.azure.resourcemanager.network.fluent.models.NatGatewayInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.ProbeInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.Delegation;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.IpVersion;
import com.azure.resourcemanager.network.models.LoadBalancerBackendAddress;
import com.azure.resourcemanager.network.models.LoadBalancerSku;
import com.azure.resourcemanager.network.models.LoadBalancerSkuName;
import com.azure.resourcemanager.network.models.LoadBalancerSkuTier;
import com.azure.resourcemanager.network.models.LoadDistribution;
import com.azure.resourcemanager.network.models.NatGatewaySku;
import com.azure.resourcemanager.network.models.NatGatewaySkuName;
import com.azure.resourcemanager.network.models.ProbeNoHealthyBackendsBehavior;
import com.azure.resourcemanager.network.models.ProbeProtocol;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuTier;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.network.models.TransportProtocol;
import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.HealthProbe;
import dev.switchboard.cloud.LbRule;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.Protocol;
import dev.switchboard.cloud.Subnet;
import dev.switchboard.cloud.Tags;
import dev.switchboard.cloud.VirtualNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the ARM bodies (inner models) of the network resources of seed 004 from the cloud model;
 * no I/O.
 */
final class NetworkResources {
  static final String VNET_PREFIX = "10.0.0.0/16";
  static final String SUBNET_PREFIX = "10.0.1.0/24";
  static final String NAT_VNET_PREFIX = "10.1.0.0/16";
  static final String NAT_SUBNET_PREFIX = "10.1.1.0/24";

  private final ArmIds ids;
  private final String location;

  NetworkResources(ArmIds ids, String location) {
    this.ids = ids;
    this.location = location;
  }

  PublicIpAddressInner publicIp(Map<String, String> tags) {
    PublicIpAddressInner ip =
        new PublicIpAddressInner()
            .withSku(
                new PublicIpAddressSku()
                    .withName(PublicIpAddressSkuName.STANDARD)
                    .withTier(PublicIpAddressSkuTier.REGIONAL))
            .withPublicIpAllocationMethod(IpAllocationMethod.STATIC)
            .withPublicIpAddressVersion(IpVersion.IPV4);
    ip.withLocation(location).withTags(tags);
    return ip;
  }

  /**
   * The security group of an IP's container subnet: Internet may reach each group's exposed ports
   * and protocols, the load balancer's probe source each group's probe port; everything else stays
   * closed (a Standard load balancer and public IP are closed to inbound traffic without one).
   */
  NetworkSecurityGroupInner nsg(String ipName, String subnetPrefix, LoadBalancer lb) {
    List<SecurityRuleInner> rules = new ArrayList<>();
    Map<String, List<LbRule>> byGroup = new TreeMap<>();
    lb.rules().forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
    int priority = FIRST_PRIORITY;
    for (Map.Entry<String, List<LbRule>> e : byGroup.entrySet()) {
      for (Protocol proto : Protocol.values()) {
        List<String> ports =
            e.getValue().stream()
                .filter(r -> r.protocol() == proto)
                .map(r -> Integer.toString(r.backendPort()))
                .toList();
        if (!ports.isEmpty()) {
          rules.add(
              allow(
                  "allow-" + e.getKey() + "-" + proto.lower(),
                  priority++,
                  proto == Protocol.UDP ? SecurityRuleProtocol.UDP : SecurityRuleProtocol.TCP,
                  "Internet",
                  subnetPrefix,
                  ports));
        }
      }
      String probe = e.getValue().get(0).probeName();
      for (HealthProbe p : lb.probes()) {
        if (p.name().equals(probe)) {
          rules.add(
              allow(
                  "allow-" + p.name(),
                  priority++,
                  SecurityRuleProtocol.TCP,
                  "AzureLoadBalancer",
                  subnetPrefix,
                  List.of(Integer.toString(p.port()))));
        }
      }
    }
    NetworkSecurityGroupInner n = new NetworkSecurityGroupInner().withSecurityRules(rules);
    n.withLocation(location).withTags(Tags.nsg(Names.loadBalancer(ipName)));
    return n;
  }

  /** Where the rules of {@link #nsg} start; each next rule takes the next number. */
  static final int FIRST_PRIORITY = 100;

  private static SecurityRuleInner allow(
      String name,
      int priority,
      SecurityRuleProtocol protocol,
      String source,
      String destination,
      List<String> ports) {
    return new SecurityRuleInner()
        .withName(name)
        .withPriority(priority)
        .withDirection(SecurityRuleDirection.INBOUND)
        .withAccess(SecurityRuleAccess.ALLOW)
        .withProtocol(protocol)
        .withSourceAddressPrefix(source)
        .withSourcePortRange("*")
        .withDestinationAddressPrefix(destination)
        .withDestinationPortRanges(ports);
  }

  VirtualNetworkInner vnet(VirtualNetwork model, String natGateway) {
    return vnet(model, natGateway, null);
  }

  /** The VNet with its one delegated subnet, using a NAT gateway and a security group if given. */
  VirtualNetworkInner vnet(VirtualNetwork model, String natGateway, String nsg) {
    SubnetInner subnet =
        new SubnetInner()
            .withName(model.subnet().name())
            .withAddressPrefix(model.subnet().addressPrefix())
            .withDelegations(
                List.of(
                    new Delegation()
                        .withName(Subnet.DELEGATION_NAME)
                        .withServiceName(model.subnet().delegation())));
    if (natGateway != null) {
      subnet.withNatGateway(new SubResource().withId(ids.natGateway(natGateway)));
    }
    if (nsg != null) {
      subnet.withNetworkSecurityGroup(new NetworkSecurityGroupInner().withId(ids.nsg(nsg)));
    }
    VirtualNetworkInner v =
        new VirtualNetworkInner()
            .withAddressSpace(
                new AddressSpace().withAddressPrefixes(List.of(model.addressPrefix())))
            .withSubnets(List.of(subnet));
    v.withLocation(location).withTags(model.tags());
    return v;
  }

  NatGatewayInner natGateway(String ipName) {
    NatGatewayInner n =
        new NatGatewayInner()
            .withSku(new NatGatewaySku().withName(NatGatewaySkuName.STANDARD))
            .withPublicIpAddresses(List.of(new SubResource().withId(ids.publicIp(ipName))));
    n.withLocation(location).withTags(Tags.managed());
    return n;
  }

  static VirtualNetwork natNetwork(String ipName) {
    return new VirtualNetwork(
        Names.natVnet(ipName),
        NAT_VNET_PREFIX,
        new Subnet(Names.natSubnet(ipName), NAT_SUBNET_PREFIX, Subnet.CONTAINER_GROUPS),
        Tags.managed());
  }

  /**
   * The whole load balancer: Standard SKU, frontend on the IP, the IP's (empty) pool plus one pool
   * per group holding only that group's address, and the model's probes and rules.
   */
  LoadBalancerInner loadBalancer(LoadBalancer lb) {
    List<BackendAddressPoolInner> pools = new ArrayList<>();
    pools.add(pool(lb.backendPoolName(), List.of()));
    GroupRouting.pools(lb)
        .forEach(
            (name, members) -> pools.add(pool(name, members.stream().map(this::address).toList())));
    LoadBalancerInner inner =
        new LoadBalancerInner()
            .withSku(
                new LoadBalancerSku()
                    .withName(LoadBalancerSkuName.STANDARD)
                    .withTier(LoadBalancerSkuTier.REGIONAL))
            .withFrontendIpConfigurations(
                List.of(
                    new FrontendIpConfigurationInner()
                        .withName(lb.frontendName())
                        .withPublicIpAddress(
                            new PublicIpAddressInner().withId(ids.publicIp(lb.publicIpName())))))
            .withBackendAddressPools(pools)
            .withProbes(lb.probes().stream().map(this::probe).toList())
            .withLoadBalancingRules(lb.rules().stream().map(r -> rule(lb, r)).toList());
    inner.withLocation(location).withTags(lb.tags());
    return inner;
  }

  BackendAddressPoolInner pool(String name, List<LoadBalancerBackendAddress> addresses) {
    return new BackendAddressPoolInner()
        .withName(name)
        .withLoadBalancerBackendAddresses(new ArrayList<>(addresses));
  }

  LoadBalancerBackendAddress address(BackendAddress a) {
    return new LoadBalancerBackendAddress()
        .withName(a.name())
        .withIpAddress(a.ipAddress())
        .withVirtualNetwork(new SubResource().withId(ids.vnet(a.virtualNetwork())));
  }

  private ProbeInner probe(HealthProbe p) {
    return new ProbeInner()
        .withName(p.name())
        .withProtocol(p.kind() == HealthProbe.Kind.HTTP ? ProbeProtocol.HTTP : ProbeProtocol.TCP)
        .withPort(p.port())
        .withRequestPath(p.path())
        .withIntervalInSeconds(p.intervalSeconds())
        .withNumberOfProbes(p.threshold())
        .withProbeThreshold(p.threshold())
        .withNoHealthyBackendsBehavior(
            p.allProbedUp()
                ? ProbeNoHealthyBackendsBehavior.ALL_PROBED_UP
                : ProbeNoHealthyBackendsBehavior.ALL_PROBED_DOWN);
  }

  private LoadBalancingRuleInner rule(LoadBalancer lb, LbRule r) {
    String name = lb.name();
    return new LoadBalancingRuleInner()
        .withName(r.name())
        .withFrontendIpConfiguration(
            new SubResource().withId(ids.frontend(name, lb.frontendName())))
        .withBackendAddressPool(new SubResource().withId(ids.backendPool(name, r.pool())))
        .withProbe(new SubResource().withId(ids.probe(name, r.probeName())))
        .withProtocol(r.protocol() == Protocol.UDP ? TransportProtocol.UDP : TransportProtocol.TCP)
        .withFrontendPort(r.frontendPort())
        .withBackendPort(r.backendPort())
        .withEnableFloatingIp(false)
        .withIdleTimeoutInMinutes(4)
        .withLoadDistribution(LoadDistribution.DEFAULT)
        .withDisableOutboundSnat(true);
  }
}
