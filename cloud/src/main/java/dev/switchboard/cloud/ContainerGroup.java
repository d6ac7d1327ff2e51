package dev.switchboard.cloud;

import java.time.Instant;
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
 * @param status how its task runs and why it last stopped, as far as the provider knows
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
    HealthProbe probe,
    Status status) {

  public ContainerGroup {
    ports = List.copyOf(ports);
    if (status == null) {
      status = Status.UNKNOWN;
    }
  }

  /**
   * How a group's task runs and why it last stopped.
   *
   * @param runsAs {@code podman}, {@code docker}, {@code process} (no container engine), or null
   *     when the provider does not say
   * @param lastExitCode the exit code of its last run, or null if it never exited
   * @param lastError the last line its last run printed before it exited, or null
   * @param nextStart when a waiting group is started again, or null
   */
  public record Status(String runsAs, Integer lastExitCode, String lastError, Instant nextStart) {
    public static final Status UNKNOWN = new Status(null, null, null, null);
  }
}
