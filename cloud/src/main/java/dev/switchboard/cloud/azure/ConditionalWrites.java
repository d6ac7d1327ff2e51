package dev.switchboard.cloud.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.network.fluent.LoadBalancersClient;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Read-modify-write of an IP's load balancer and security group with {@code If-Match}, so
 * concurrent {@code run}, {@code rm} and reconcile passes never overwrite each other.
 */
final class ConditionalWrites {
  /** How often a write is tried when its etag went stale. */
  static final int MAX_ATTEMPTS = 5;

  private static final String SUBNET_PREFIX = NetworkResources.SUBNET_PREFIX;

  private final NetworkManagementClient network;
  private final String rg;
  private final NetworkResources resources;

  ConditionalWrites(NetworkManagementClient network, String rg, NetworkResources resources) {
    this.network = network;
    this.rg = rg;
    this.resources = resources;
  }

  private String rg() {
    return rg;
  }

  private LoadBalancersClient lbs() {
    return network.getLoadBalancers();
  }

  /**
   * Read, change, write the load balancer with {@code If-Match} on the etag read, again from the
   * read on 412 (another {@code run}, {@code rm} or reconcile changed it in between); then the
   * security group follows the rules written.
   */
  LoadBalancer updateLoadBalancer(String ipName, UnaryOperator<LoadBalancer> change) {
    String lbName = Names.loadBalancer(ipName);
    for (int attempt = 1; ; attempt++) {
      LoadBalancerInner current =
          AzureProvider.call(
              "read load balancer " + lbName, () -> lbs().getByResourceGroup(rg(), lbName));
      LoadBalancer before = AzureModel.loadBalancer(current);
      LoadBalancer next = change.apply(before);
      if (next.equals(before)) {
        return before;
      }
      try {
        lbs()
            .createOrUpdate(
                rg(), lbName, resources.loadBalancer(next), IfMatchPolicy.context(current.etag()));
      } catch (ManagementException e) {
        if (AzureProvider.status(e) == 412 && attempt < MAX_ATTEMPTS) {
          continue;
        }
        throw AzureProvider.failure("update load balancer " + lbName, e);
      } catch (RuntimeException e) {
        throw CloudException.provider(
            "update load balancer " + lbName + " failed: " + e.getMessage(), e);
      }
      updateNsg(ipName);
      return next;
    }
  }

  /**
   * The security group becomes what the load balancer's current rules need (If-Match, as above).
   */
  private void updateNsg(String ipName) {
    String nsg = Names.nsg(ipName);
    for (int attempt = 1; ; attempt++) {
      LoadBalancer lb =
          AzureModel.loadBalancer(
              AzureProvider.call(
                  "read load balancer " + Names.loadBalancer(ipName),
                  () -> lbs().getByResourceGroup(rg(), Names.loadBalancer(ipName))));
      Optional<NetworkSecurityGroupInner> current =
          AzureProvider.find(
              () -> network.getNetworkSecurityGroups().getByResourceGroup(rg(), nsg));
      try {
        network
            .getNetworkSecurityGroups()
            .createOrUpdate(
                rg(),
                nsg,
                resources.nsg(ipName, SUBNET_PREFIX, lb),
                IfMatchPolicy.context(current.map(NetworkSecurityGroupInner::etag).orElse(null)));
        return;
      } catch (ManagementException e) {
        if (AzureProvider.status(e) == 412 && attempt < MAX_ATTEMPTS) {
          continue;
        }
        throw AzureProvider.failure("update network security group " + nsg, e);
      }
    }
  }
}
