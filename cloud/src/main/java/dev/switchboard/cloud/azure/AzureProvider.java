package dev.switchboard.cloud.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
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
  private final ConditionalWrites writes;

  private static final String SUBNET_PREFIX = NetworkResources.SUBNET_PREFIX;

  AzureProvider(
      AzureSettings settings, NetworkManager network, ContainerInstanceManager containers) {
    this.settings = settings;
    this.network = network.serviceClient();
    this.containers = containers;
    this.ids = new ArmIds(settings.subscriptionId(), settings.resourceGroup());
    this.resources = new NetworkResources(ids, settings.location());
    this.writes = new ConditionalWrites(this.network, settings.resourceGroup(), resources);
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
      try {
        return setupLoadBalancer(name);
      } catch (CloudException e) {
        String left = cleanUp(List.of(Existing.publicIp(name)));
        throw new CloudException(e.kind(), e.getMessage() + left, e);
      }
    }
    return AzureModel.publicIp(ip);
  }

  @Override
  public PublicIp setupLoadBalancer(String name) {
    PublicIp ip =
        findIp(name)
            .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
    VirtualNetwork vnet = lbNetwork(name);
    LoadBalancer lb = LoadBalancer.fresh(name);
    String nsg = Names.nsg(name);
    try {
      call(
          "create network security group " + nsg,
          () ->
              network
                  .getNetworkSecurityGroups()
                  .createOrUpdate(rg(), nsg, resources.nsg(name, SUBNET_PREFIX, lb)));
      call(
          "create virtual network " + vnet.name(),
          () ->
              network
                  .getVirtualNetworks()
                  .createOrUpdate(rg(), vnet.name(), resources.vnet(vnet, null, nsg)));
      call(
          "create load balancer " + lb.name(),
          () ->
              network
                  .getLoadBalancers()
                  .createOrUpdate(rg(), lb.name(), resources.loadBalancer(lb)));
    } catch (CloudException e) {
      // The IP's tags still say "no load balancer": remove what exists, not what they say.
      String left = cleanUp(lbInfrastructure(name));
      throw new CloudException(e.kind(), e.getMessage() + left, e);
    }
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
        .map(AzureModel::loadBalancer);
  }

  @Override
  public PublicIp removeLoadBalancer(String name) {
    PublicIp ip =
        findIp(name)
            .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
    deleteExisting(lbInfrastructure(name));
    return tagIp(name, Tags.publicIp(ip.hasNatStack(), null));
  }

  /** What an IP's load balancer consists of, in the order it is deleted. */
  private static List<Existing> lbInfrastructure(String ip) {
    return List.of(
        Existing.loadBalancer(Names.loadBalancer(ip)),
        Existing.vnet(Names.vnet(ip)),
        Existing.nsg(Names.nsg(ip)));
  }

  /**
   * Removes the IP and whatever exists of what Switchboard creates for it, whatever its tags say (a
   * failed {@code ip create} leaves tags that do not tell).
   */
  @Override
  public void removeIp(String name) {
    findIp(name)
        .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
    List<Existing> all = new ArrayList<>(lbInfrastructure(name));
    all.add(Existing.vnet(Names.natVnet(name)));
    all.add(Existing.natGateway(Names.natGateway(name)));
    all.add(Existing.publicIp(name));
    deleteExisting(all);
  }

  private void deleteExisting(List<Existing> resources) {
    for (Existing r : resources) {
      if (find(() -> r.get(network, rg())).isPresent()) {
        call(
            "delete " + r.kind() + " " + r.name(),
            () -> {
              r.delete(network, rg());
              return null;
            });
      }
    }
  }

  /** Best-effort {@link #deleteExisting} after a failure: what could not be removed, or "". */
  private String cleanUp(List<Existing> resources) {
    try {
      deleteExisting(resources);
      return "; what it had created was removed again";
    } catch (CloudException e) {
      return "; removing what it had created failed too (" + e.getMessage() + "): run 'ip rm'";
    }
  }

  @Override
  public void validate(RunSpec spec) {
    AzureLimits.check(spec);
  }

  @Override
  public ContainerGroup run(RunSpec spec, PublicIp via) {
    if (via == null) {
      ContainerGroupInner g =
          call(
              "create container group " + spec.name(),
              () ->
                  groups()
                      .createOrUpdate(
                          rg(),
                          spec.name(),
                          ContainerResources.group(
                              spec, settings.location(), null, null, null, 0)));
      return AzureModel.group(g);
    }
    String lbName = via.lbName();
    GroupRouting routing = GroupRouting.of(spec.name(), spec.ports(), spec.healthPort());
    String subnetId = ids.subnet(Names.vnet(via.name()), Names.subnet(via.name()));
    ContainerGroupInner created =
        call(
            "create container group " + spec.name(),
            () ->
                groups()
                    .createOrUpdate(
                        rg(),
                        spec.name(),
                        ContainerResources.group(
                            spec,
                            settings.location(),
                            subnetId,
                            via.name(),
                            lbName,
                            routing.extraHealthPort(spec.ports(), spec.healthPort()))));
    try {
      String privateIp = created.ipAddress() == null ? null : created.ipAddress().ip();
      if (privateIp == null) {
        throw CloudException.provider(
            "container group " + spec.name() + " was created without a private IP", null);
      }
      BackendAddress address =
          new BackendAddress(Names.backendAddress(spec.name()), privateIp, Names.vnet(via.name()));
      writes.updateLoadBalancer(
          via.name(), lb -> GroupRouting.withBackend(routing.addTo(lb, spec.name()), address));
    } catch (CloudException e) {
      // No orphan: a group the load balancer does not know would run, and cost, unseen; and no
      // rules or pool for a group that is gone (the load balancer write may have succeeded).
      String left;
      try {
        writes.updateLoadBalancer(via.name(), lb -> GroupRouting.removeFrom(lb, spec.name()));
        call("delete container group " + spec.name(), () -> groups().delete(rg(), spec.name()));
        left = "; container group " + spec.name() + " was deleted again";
      } catch (CloudException again) {
        left =
            "; deleting container group "
                + spec.name()
                + " failed too: run 'rm "
                + spec.name()
                + "'";
      }
      throw new CloudException(e.kind(), e.getMessage() + left, e);
    }
    return AzureModel.group(created);
  }

  /** Groups with their instance view: the list call leaves it out, so each is read on its own. */
  @Override
  public List<ContainerGroup> listGroups() {
    List<ContainerGroup> out = new ArrayList<>();
    for (ContainerGroupInner g : listGroupInners()) {
      out.add(AzureModel.group(find(() -> groups().getByResourceGroup(rg(), g.name())).orElse(g)));
    }
    return out;
  }

  private List<ContainerGroupInner> listGroupInners() {
    List<ContainerGroupInner> out = new ArrayList<>();
    call(
        "list container groups",
        () -> {
          groups()
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
        call("read container group " + name, () -> groups().getByResourceGroup(rg(), name));
    Map<String, String> tags = g.tags() == null ? Map.of() : g.tags();
    String ipName = tags.get(Tags.PUBLIC_IP_NAME);
    if (tags.get(Tags.LB_NAME) != null
        && ipName != null
        && find(() -> lbs().getByResourceGroup(rg(), Names.loadBalancer(ipName))).isPresent()) {
      writes.updateLoadBalancer(ipName, lb -> GroupRouting.removeFrom(lb, name));
    }
    call("delete container group " + name, () -> groups().delete(rg(), name));
  }

  @Override
  public ReconcileResult reconcile(String ipName) {
    String lbName = Names.loadBalancer(ipName);
    List<BackendAddress> desired = new ArrayList<>();
    for (ContainerGroupInner g : listGroupInners()) {
      if (lbName.equals(g.tags().get(Tags.LB_NAME))
          && g.ipAddress() != null
          && g.ipAddress().ip() != null
          && ContainerGroupIpAddressType.PRIVATE.equals(g.ipAddress().type())) {
        desired.add(
            new BackendAddress(
                Names.backendAddress(g.name()), g.ipAddress().ip(), Names.vnet(ipName)));
      }
    }
    List<String> was = new ArrayList<>();
    LoadBalancer after =
        writes.updateLoadBalancer(
            ipName,
            lb -> {
              was.clear();
              lb.backends().forEach(b -> was.add(b.ipAddress()));
              return GroupRouting.withBackends(lb, desired);
            });
    List<String> now = after.backends().stream().map(BackendAddress::ipAddress).sorted().toList();
    List<String> added = now.stream().filter(a -> !was.contains(a)).toList();
    List<String> removed = was.stream().filter(a -> !now.contains(a)).sorted().toList();
    return new ReconcileResult(lbName, added, removed, now);
  }

  private com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient groups() {
    return containers.serviceClient().getContainerGroups();
  }

  private com.azure.resourcemanager.network.fluent.LoadBalancersClient lbs() {
    return network.getLoadBalancers();
  }

  static int status(ManagementException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
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

  static <T> Optional<T> find(Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failure("read", e);
    }
  }

  static <T> T call(String what, Supplier<T> op) {
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

  static CloudException failure(String what, ManagementException e) {
    return CloudException.provider(what + " failed: " + armMessage(e), e);
  }

  private static String armMessage(ManagementException e) {
    if (e.getValue() != null && e.getValue().getCode() != null) {
      return e.getValue().getCode() + ": " + e.getValue().getMessage();
    }
    return e.getMessage();
  }
}
