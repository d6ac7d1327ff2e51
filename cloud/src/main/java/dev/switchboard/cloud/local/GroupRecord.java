package dev.switchboard.cloud.local;

import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.RunSpec;
import java.time.Instant;

/**
 * A container group in the local store: what {@code run} asked for, plus the agent's view of its
 * task.
 */
final class GroupRecord {
  /** Waiting for the agent to start it. */
  static final String PENDING = "Pending";

  static final String RUNNING = "Running";

  /** Exited and, per its restart policy, not started again. */
  static final String TERMINATED = "Terminated";

  /** Exited; waits out its restart back-off before the next start. */
  static final String WAITING = "Waiting";

  public RunSpec spec;

  /** The selected IP it is published on through that IP's load balancer, or null. */
  public String publicIpName;

  public String lbName;

  /** Its own public address (the old bidirectional mode, no load balancer), or null. */
  public String ownPublicAddress;

  public int healthPort;
  public String state = PENDING;
  public String privateAddress;
  public Long pid;

  /**
   * When the process with {@link #pid} started (epoch ms), so a reused pid is never mistaken for
   * it.
   */
  public Long pidStartMillis;

  public int restartCount;
  public Integer lastExitCode;

  /** The last line the task printed before it last exited (or why it could not start), or null. */
  public String lastError;

  /** When a waiting group starts again (epoch ms), or null. */
  public Long nextStartMillis;

  /** {@code docker} or {@code podman} when the task runs in a container, null for a process. */
  public String engine;

  /** The name of the container of the current start, or null. */
  public String containerName;

  /** The directory {@code run} was called from: a process task runs there. */
  public String workDir;

  /**
   * What the load balancer's probe says of its current address: "up", "down" or null (no probe
   * yet).
   */
  public String health;

  ContainerGroup view() {
    String publicAddress = ownPublicAddress;
    return new ContainerGroup(
        spec.name(),
        spec.image(),
        spec.task(),
        spec.ports(),
        publicIpName,
        lbName,
        privateAddress,
        publicAddress,
        state,
        spec.restartPolicy(),
        restartCount,
        healthPort,
        health,
        lbName == null
            ? null
            : GroupRouting.of(spec.name(), spec.ports(), spec.healthPort()).probe(),
        new ContainerGroup.Status(
            engine == null ? "process" : engine,
            lastExitCode,
            lastError,
            nextStartMillis == null ? null : Instant.ofEpochMilli(nextStartMillis)));
  }
}
