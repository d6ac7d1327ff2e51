package dev.switchboard.cloud.azure;

/** Resource IDs of one resource group, as ARM spells them. */
final class ArmIds {
  private final String prefix;

  ArmIds(String subscriptionId, String resourceGroup) {
    this.prefix =
        "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/";
  }

  String publicIp(String name) {
    return prefix + "Microsoft.Network/publicIPAddresses/" + name;
  }

  String vnet(String name) {
    return prefix + "Microsoft.Network/virtualNetworks/" + name;
  }

  String subnet(String vnet, String subnet) {
    return vnet(vnet) + "/subnets/" + subnet;
  }

  String nsg(String name) {
    return prefix + "Microsoft.Network/networkSecurityGroups/" + name;
  }

  String natGateway(String name) {
    return prefix + "Microsoft.Network/natGateways/" + name;
  }

  String loadBalancer(String name) {
    return prefix + "Microsoft.Network/loadBalancers/" + name;
  }

  String frontend(String lb, String name) {
    return loadBalancer(lb) + "/frontendIPConfigurations/" + name;
  }

  String backendPool(String lb, String name) {
    return loadBalancer(lb) + "/backendAddressPools/" + name;
  }

  String probe(String lb, String name) {
    return loadBalancer(lb) + "/probes/" + name;
  }
}
