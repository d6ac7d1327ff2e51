package dev.switchboard.cloud.azure;

import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/** A network resource that may or may not exist: how to read it and how to delete it. */
record Existing(
    String kind,
    String name,
    BiFunction<NetworkManagementClient, String, Object> getter,
    BiConsumer<NetworkManagementClient, String> deleter) {

  Object get(NetworkManagementClient n, String rg) {
    return getter.apply(n, rg);
  }

  void delete(NetworkManagementClient n, String rg) {
    deleter.accept(n, rg);
  }

  static Existing loadBalancer(String name) {
    return new Existing(
        "load balancer",
        name,
        (n, rg) -> n.getLoadBalancers().getByResourceGroup(rg, name),
        (n, rg) -> n.getLoadBalancers().delete(rg, name));
  }

  static Existing vnet(String name) {
    return new Existing(
        "virtual network",
        name,
        (n, rg) -> n.getVirtualNetworks().getByResourceGroup(rg, name),
        (n, rg) -> n.getVirtualNetworks().delete(rg, name));
  }

  static Existing nsg(String name) {
    return new Existing(
        "network security group",
        name,
        (n, rg) -> n.getNetworkSecurityGroups().getByResourceGroup(rg, name),
        (n, rg) -> n.getNetworkSecurityGroups().delete(rg, name));
  }

  static Existing natGateway(String name) {
    return new Existing(
        "NAT gateway",
        name,
        (n, rg) -> n.getNatGateways().getByResourceGroup(rg, name),
        (n, rg) -> n.getNatGateways().delete(rg, name));
  }

  static Existing publicIp(String name) {
    return new Existing(
        "public IP",
        name,
        (n, rg) -> n.getPublicIpAddresses().getByResourceGroup(rg, name),
        (n, rg) -> n.getPublicIpAddresses().delete(rg, name));
  }
}
