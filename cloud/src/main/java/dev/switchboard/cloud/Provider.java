package dev.switchboard.cloud;

import java.util.List;
import java.util.Optional;

/**
 * Realises the provisioning model of seed 004 in one world ({@code local} on this machine, or
 * {@code azure}); inputs arrive validated by {@link Cloud}, and every method either completes or
 * throws {@link CloudException}.
 */
public interface Provider extends AutoCloseable {

  /** The provider's name on the command line. */
  String name();

  /**
   * The VNet (address space, delegated subnet, tags) this provider creates for an IP's load
   * balancer.
   */
  VirtualNetwork lbNetwork(String ipName);

  /** Creates a public IP and, on request, its load-balancer infrastructure or its NAT stack. */
  PublicIp createIp(String name, boolean withLoadBalancer, boolean withNatStack);

  /** Adds the VNet, load balancer, frontend and backend pool to an existing IP and tags it. */
  PublicIp setupLoadBalancer(String name);

  List<PublicIp> listIps();

  Optional<PublicIp> findIp(String name);

  /** The load balancer of an IP, with its rules, probes and registered backends. */
  Optional<LoadBalancer> findLoadBalancer(String ipName);

  /** Removes the load-balancer infrastructure of an IP and keeps the IP. */
  PublicIp removeLoadBalancer(String name);

  /** Removes the IP and everything created for it (load balancer, VNet, NAT stack). */
  void removeIp(String name);

  /**
   * Refuses, before any call, a spec this provider's platform would reject (port counts, port
   * ranges, tag lengths).
   */
  default void validate(RunSpec spec) {}

  /**
   * Deploys a container group; with {@code via} (an IP that has a load balancer) the group gets no
   * public IP of its own, its rules and probe are added and its private address is registered in
   * the backend pool.
   */
  ContainerGroup run(RunSpec spec, PublicIp via);

  List<ContainerGroup> listGroups();

  /**
   * Deregisters the group's backend address, deletes the rules it created, then deletes the group.
   */
  void removeGroup(String name);

  /**
   * One reconcile pass over an IP's load balancer: its pool becomes the current addresses of its
   * groups.
   */
  ReconcileResult reconcile(String ipName);

  @Override
  void close();
}
