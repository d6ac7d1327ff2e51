package dev.switchboard.cloud.azure;

import com.azure.core.management.SubResource;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.FrontendIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancingRuleInner;
import com.azure.resourcemanager.network.fluent.models.NatGatewayInner;
import com.azure.resourcemanager.network.fluent.models.ProbeInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
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
import com.azure.resourcemanager.network.models.ProbeProtocol;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuTier;
import com.azure.resourcemanager.network.models.TransportProtocol;
import dev.switchboard.cloud.BackendAddress;
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

  VirtualNetworkInner vnet(VirtualNetwork model, String natGateway) {
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
   * The whole load balancer: Standard SKU, frontend on the IP, the IP-based pool, and the model's
   * probes and rules.
   */
  LoadBalancerInner loadBalancer(LoadBalancer lb, List<LoadBalancerBackendAddress> addresses) {
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
            .withBackendAddressPools(List.of(pool(lb, addresses)))
            .withProbes(lb.probes().stream().map(this::probe).toList())
            .withLoadBalancingRules(lb.rules().stream().map(r -> rule(lb, r)).toList());
    inner.withLocation(location).withTags(lb.tags());
    return inner;
  }

  BackendAddressPoolInner pool(LoadBalancer lb, List<LoadBalancerBackendAddress> addresses) {
    return new BackendAddressPoolInner()
        .withName(lb.backendPoolName())
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
        .withProtocol(ProbeProtocol.TCP)
        .withPort(p.port())
        .withIntervalInSeconds(p.intervalSeconds())
        .withNumberOfProbes(p.threshold())
        .withProbeThreshold(p.threshold());
  }

  private LoadBalancingRuleInner rule(LoadBalancer lb, LbRule r) {
    String name = lb.name();
    return new LoadBalancingRuleInner()
        .withName(r.name())
        .withFrontendIpConfiguration(
            new SubResource().withId(ids.frontend(name, lb.frontendName())))
        .withBackendAddressPool(
            new SubResource().withId(ids.backendPool(name, lb.backendPoolName())))
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
