package dev.switchboard.cloud.local;

import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.VirtualNetwork;
import java.util.TreeMap;

/** Everything the local provider knows, as stored in {@code <state-dir>/local/state.json}. */
final class LocalState {
  /**
   * Bumped by every change the CLI makes; the agent copies it to {@link #applied} after acting on
   * it.
   */
  public long generation;

  public long applied;
  public Long agentPid;

  /**
   * Handed to the agent being spawned; it claims {@link #agentPid} with it (setsid may fork,
   * changing the pid).
   */
  public String agentToken;

  /**
   * Next offset tried in the private pool, so a restarted task never gets its previous address
   * back.
   */
  public int nextPrivate = 1;

  public long probeIntervalMillis = 5000;
  public long tickMillis = 250;

  public TreeMap<String, PublicIp> ips = new TreeMap<>();

  /** Keyed by load balancer name. */
  public TreeMap<String, LoadBalancer> lbs = new TreeMap<>();

  /** Keyed by VNet name. */
  public TreeMap<String, VirtualNetwork> vnets = new TreeMap<>();

  /** NAT gateway name to the public IP it uses. */
  public TreeMap<String, String> natGateways = new TreeMap<>();

  public TreeMap<String, GroupRecord> groups = new TreeMap<>();

  /** The admin API port (127.0.0.1) of each running load balancer, by load balancer name. */
  public TreeMap<String, Integer> adminPorts = new TreeMap<>();

  /**
   * What the agent could not realise, by resource name (a port in use, a task that cannot start).
   */
  public TreeMap<String, String> errors = new TreeMap<>();

  /** Whether nothing needs the agent: no load balancer and no container group. */
  boolean idle() {
    return lbs.isEmpty() && groups.isEmpty();
  }

  boolean empty() {
    return ips.isEmpty()
        && idle()
        && vnets.isEmpty()
        && natGateways.isEmpty()
        && agentToken == null;
  }
}
