package dev.switchboard.cloud;

import java.util.List;

/**
 * A container group as a provider reports it: what was asked for, where it is reachable now, and
 * its state.
 *
 * @param publicIpName the selected IP it is published on through a load balancer, or null
 * @param privateAddress its current private address (changes on every start), or null
 * @param publicAddress the address clients use: the selected IP's, or its own (old mode), or null
 * @param healthPort the TCP port the load balancer probes, or 0 without a load balancer
 * @param health what the probe says of its current address ("up", "down"), or null when unknown
 * @param probe the load balancer's probe of the group, or null without a load balancer
 */
public record ContainerGroup(
    String name,
    String image,
    String task,
    List<ExposedPort> ports,
    String publicIpName,
    String lbName,
    String privateAddress,
    String publicAddress,
    String state,
    RestartPolicy restartPolicy,
    int restartCount,
    int healthPort,
    String health,
    HealthProbe probe) {

  public ContainerGroup {
    ports = List.copyOf(ports);
  }
}
