package dev.switchboard.cloud.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.models.LoadBalancerBackendAddress;
import com.azure.resourcemanager.network.models.TagsObject;
import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.Provider;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.ReconcileResult;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.Tags;
import dev.switchboard.cloud.VirtualNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The seed's operations through the Azure SDK for Java: the network through {@code
 * NetworkManager}'s inner service client (the fluent API has no IP-address backends), container
 * groups through {@code ContainerInstanceManager}.
 */
public final class AzureProvider implements Provider {
  private final AzureSettings settings;
  private final NetworkManagementClient network;
  private final ContainerInstanceManager containers;
  private final ArmIds ids;
  private final NetworkResources resources;

  AzureProvider(
      AzureSettings settings, NetworkManager network, ContainerInstanceManager containers) {
    this.settings = settings;
    this.network = network.serviceClient();
    this.containers = containers;
    this.ids = new ArmIds(settings.subscriptionId(), settings.resourceGroup());
    this.resources = new NetworkResources(ids, settings.location());
  }

  /**
   * Connects to Azure (or to {@link AzureSettings#endpoint()}) with the settings' credential and
   * HTTP client.
   */
  public static AzureProvider connect(AzureSettings settings) {
    return AzureClients.connect(settings);
  }

  @Override
  public String name() {
    return "azure";
  }

  private String rg() {
    return settings.resourceGroup();
  }

  @Override
  public VirtualNetwork lbNetwork(String ipName) {
    return VirtualNetwork.forLoadBalancer(
        ipName, NetworkResources.VNET_PREFIX, NetworkResources.SUBNET_PREFIX);
  }

  @Override
  public PublicIp createIp(String name, boolean withLoadBalancer, boolean withNatStack) {
    PublicIpAddressInner ip =
        call(
            "create public IP " + name,
            () ->
                network
                    .getPublicIpAddresses()
                    .createOrUpdate(
                        rg(), name, resources.publicIp(Tags.publicIp(withNatStack, null))));
    if (withNatStack) {
      String gw = Names.natGateway(name);
      call(
          "create NAT gateway " + gw,
          () -> network.getNatGateways().createOrUpdate(rg(), gw, resources.natGateway(name)));
      VirtualNetwork vnet = NetworkResources.natNetwork(name);
      call(
          "create virtual network " + vnet.name(),
          () ->
              network
                  .getVirtualNetworks()
                  .createOrUpdate(rg(), vnet.name(), resources.vnet(vnet, gw)));
    }
    if (withLoadBalancer) {
      return setupLoadBalancer(name);
    }
    return AzureModel.publicIp(ip);
  }

  @Override
  public PublicIp setupLoadBalancer(String name) {
    PublicIp ip =
        findIp(name)
            .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
    VirtualNetwork vnet = lbNetwork(name);
    call(
        "create virtual network " + vnet.name(),
        () ->
            network
                .getVirtualNetworks()
                .createOrUpdate(rg(), vnet.name(), resources.vnet(vnet, null)));
    LoadBalancer lb = LoadBalancer.fresh(name);
    call(
        "create load balancer " + lb.name(),
        () ->
            network
                .getLoadBalancers()
                .createOrUpdate(rg(), lb.name(), resources.loadBalancer(lb, List.of())));
    // The tags flip last: an IP says it has a load balancer only once the load balancer exists.
    return tagIp(name, Tags.publicIp(ip.hasNatStack(), lb.name()));
  }

  @Override
  public List<PublicIp> listIps() {
    List<PublicIp> out = new ArrayList<>();
    call(
        "list public IPs",
        () -> {
          network
              .getPublicIpAddresses()
              .listByResourceGroup(rg())
              .forEach(
                  ip -> {
                    if (ip.tags() != null && Tags.MANAGER.equals(ip.tags().get(Tags.MANAGED_BY))) {
                      out.add(AzureModel.publicIp(ip));
                    }
                  });
          return out;
        });
    return out;
  }

  @Override
  public Optional<PublicIp> findIp(String name) {
    return find(() -> network.getPublicIpAddresses().getByResourceGroup(rg(), name))
        .map(AzureModel::publicIp);
  }

  @Override
  public Optional<LoadBalancer> findLoadBalancer(String ipName) {
    return find(() ->
            network.getLoadBalancers().getByResourceGroup(rg(), Names.loadBalancer(ipName)))
        .map(lb -> AzureModel.loadBalancer(lb, listGroupInners()));
  }

  @Override
  public PublicIp removeLoadBalancer(String name) {
    PublicIp ip =
        findIp(name)
            .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
    deleteLoadBalancerInfrastructure(name);
    return tagIp(name, Tags.publicIp(ip.hasNatStack(), null));
  }

  private void deleteLoadBalancerInfrastructure(String name) {
    String lb = Names.loadBalancer(name);
    call(
        "delete load balancer " + lb,
        () -> {
          network.getLoadBalancers().delete(rg(), lb);
          return null;
        });
    String vnet = Names.vnet(name);
    call(
        "delete virtual network " + vnet,
        () -> {
          network.getVirtualNetworks().delete(rg(), vnet);
          return null;
        });
  }

  @Override
  public void removeIp(String name) {
    PublicIp ip =
        findIp(name)
            .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
    if (ip.hasLoadBalancer()) {
      deleteLoadBalancerInfrastructure(name);
    }
    if (ip.hasNatStack()) {
      String vnet = Names.natVnet(name);
      call(
          "delete virtual network " + vnet,
          () -> {
            network.getVirtualNetworks().delete(rg(), vnet);
            return null;
          });
      String gw = Names.natGateway(name);
      call(
          "delete NAT gateway " + gw,
          () -> {
            network.getNatGateways().delete(rg(), gw);
            return null;
          });
    }
    call(
        "delete public IP " + name,
        () -> {
          network.getPublicIpAddresses().delete(rg(), name);
          return null;
        });
  }

  @Override
  public ContainerGroup run(RunSpec spec, PublicIp via) {
    if (via == null) {
      ContainerGroupInner g =
          call(
              "create container group " + spec.name(),
              () ->
                  containers
                      .serviceClient()
                      .getContainerGroups()
                      .createOrUpdate(
                          rg(),
                          spec.name(),
                          ContainerResources.group(
                              spec, settings.location(), null, null, null, 0)));
      return AzureModel.group(g);
    }
    String lbName = via.lbName();
    LoadBalancerInner current =
        call(
            "read load balancer " + lbName,
            () -> network.getLoadBalancers().getByResourceGroup(rg(), lbName));
    GroupRouting routing = GroupRouting.of(spec.name(), spec.ports());
    String subnetId = ids.subnet(Names.vnet(via.name()), Names.subnet(via.name()));
    ContainerGroupInner created =
        call(
            "create container group " + spec.name(),
            () ->
                containers
                    .serviceClient()
                    .getContainerGroups()
                    .createOrUpdate(
                        rg(),
                        spec.name(),
                        ContainerResources.group(
                            spec,
                            settings.location(),
                            subnetId,
                            via.name(),
                            lbName,
                            routing.probe().port())));
    String privateIp = created.ipAddress() == null ? null : created.ipAddress().ip();
    if (privateIp == null) {
      throw CloudException.provider(
          "container group "
              + spec.name()
              + " was created without a private IP; run 'ip reconcile "
              + via.name()
              + "' once it has one",
          null);
    }
    LoadBalancer lb =
        routing.addTo(AzureModel.loadBalancer(current, listGroupInners()), spec.name());
    List<LoadBalancerBackendAddress> addresses = AzureModel.poolAddresses(current);
    call(
        "add rules of " + spec.name() + " to " + lbName,
        () ->
            network
                .getLoadBalancers()
                .createOrUpdate(rg(), lbName, resources.loadBalancer(lb, addresses)));
    registerBackend(
        lb,
        new BackendAddress(Names.backendAddress(spec.name()), privateIp, Names.vnet(via.name())));
    return AzureModel.group(created);
  }

  private void registerBackend(LoadBalancer lb, BackendAddress address) {
    BackendAddressPoolInner pool =
        call(
            "read backend pool " + lb.backendPoolName(),
            () ->
                network
                    .getLoadBalancerBackendAddressPools()
                    .get(rg(), lb.name(), lb.backendPoolName()));
    List<LoadBalancerBackendAddress> addresses = new ArrayList<>();
    for (LoadBalancerBackendAddress a : AzureModel.addresses(pool)) {
      if (!address.name().equals(a.name())) {
        addresses.add(a);
      }
    }
    addresses.add(resources.address(address));
    putPool(lb, addresses);
  }

  private void putPool(LoadBalancer lb, List<LoadBalancerBackendAddress> addresses) {
    call(
        "update backend pool " + lb.backendPoolName(),
        () ->
            network
                .getLoadBalancerBackendAddressPools()
                .createOrUpdate(
                    rg(), lb.name(), lb.backendPoolName(), resources.pool(lb, addresses)));
  }

  @Override
  public List<ContainerGroup> listGroups() {
    return listGroupInners().stream().map(AzureModel::group).toList();
  }

  private List<ContainerGroupInner> listGroupInners() {
    List<ContainerGroupInner> out = new ArrayList<>();
    call(
        "list container groups",
        () -> {
          containers
              .serviceClient()
              .getContainerGroups()
              .listByResourceGroup(rg())
              .forEach(
                  g -> {
                    if (g.tags() != null && Tags.MANAGER.equals(g.tags().get(Tags.MANAGED_BY))) {
                      out.add(g);
                    }
                  });
          return out;
        });
    return out;
  }

  @Override
  public void removeGroup(String name) {
    ContainerGroupInner g =
        call(
            "read container group " + name,
            () -> containers.serviceClient().getContainerGroups().getByResourceGroup(rg(), name));
    Map<String, String> tags = g.tags() == null ? Map.of() : g.tags();
    String lbName = tags.get(Tags.LB_NAME);
    if (lbName != null) {
      find(() -> network.getLoadBalancers().getByResourceGroup(rg(), lbName))
          .ifPresent(
              current -> {
                LoadBalancer lb = AzureModel.loadBalancer(current, List.of(g));
                List<LoadBalancerBackendAddress> kept = new ArrayList<>();
                for (LoadBalancerBackendAddress a : AzureModel.poolAddresses(current)) {
                  if (!Names.backendAddress(name).equals(a.name())) {
                    kept.add(a);
                  }
                }
                putPool(lb, kept);
                LoadBalancer without = GroupRouting.removeFrom(lb, name);
                call(
                    "remove rules of " + name + " from " + lbName,
                    () ->
                        network
                            .getLoadBalancers()
                            .createOrUpdate(rg(), lbName, resources.loadBalancer(without, kept)));
              });
    }
    call(
        "delete container group " + name,
        () -> containers.serviceClient().getContainerGroups().delete(rg(), name));
  }

  @Override
  public ReconcileResult reconcile(String ipName) {
    String lbName = Names.loadBalancer(ipName);
    LoadBalancerInner current =
        call(
            "read load balancer " + lbName,
            () -> network.getLoadBalancers().getByResourceGroup(rg(), lbName));
    List<ContainerGroupInner> groups = listGroupInners();
    LoadBalancer lb = AzureModel.loadBalancer(current, groups);
    List<LoadBalancerBackendAddress> before = AzureModel.poolAddresses(current);
    List<LoadBalancerBackendAddress> desired = new ArrayList<>();
    for (ContainerGroupInner g : groups) {
      if (g.tags() != null
          && lbName.equals(g.tags().get(Tags.LB_NAME))
          && g.ipAddress() != null
          && g.ipAddress().ip() != null
          && ContainerGroupIpAddressType.PRIVATE.equals(g.ipAddress().type())) {
        desired.add(
            resources.address(
                new BackendAddress(
                    Names.backendAddress(g.name()), g.ipAddress().ip(), Names.vnet(ipName))));
      }
    }
    List<String> was = before.stream().map(LoadBalancerBackendAddress::ipAddress).sorted().toList();
    List<String> now =
        desired.stream().map(LoadBalancerBackendAddress::ipAddress).sorted().toList();
    List<String> added = now.stream().filter(a -> !was.contains(a)).toList();
    List<String> removed = was.stream().filter(a -> !now.contains(a)).toList();
    if (!added.isEmpty() || !removed.isEmpty()) {
      putPool(lb, desired);
    }
    return new ReconcileResult(lbName, added, removed, now);
  }

  @Override
  public void close() {}

  private PublicIp tagIp(String name, Map<String, String> tags) {
    return AzureModel.publicIp(
        call(
            "tag public IP " + name,
            () ->
                network
                    .getPublicIpAddresses()
                    .updateTags(rg(), name, new TagsObject().withTags(tags))));
  }

  private static <T> Optional<T> find(Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", e);
    }
  }

  private static <T> T call(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        throw CloudException.notFound(what + ": " + armMessage(e));
      }
      throw failure(what, e);
    } catch (RuntimeException e) {
      if (e instanceof CloudException) {
        throw e;
      }
      throw CloudException.provider(what + " failed: " + e.getMessage(), e);
    }
  }

  private static CloudException failure(String what, ManagementException e) {
    return CloudException.provider(what + " failed: " + armMessage(e), e);
  }

  private static String armMessage(ManagementException e) {
    if (e.getValue() != null && e.getValue().getCode() != null) {
      return e.getValue().getCode() + ": " + e.getValue().getMessage();
    }
    return e.getMessage();
  }
}
