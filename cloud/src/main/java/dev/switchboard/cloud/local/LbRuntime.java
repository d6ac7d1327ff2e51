package dev.switchboard.cloud.local;

import dev.switchboard.cloud.LoadBalancer;
import java.time.Duration;
import java.util.Map;

/**
 * A running load balancer the agent drives declaratively: each call makes it equal to the model.
 */
interface LbRuntime extends AutoCloseable {

  /**
   * Makes it listen on {@code frontendIp} with {@code lb}'s rules, probes and backend addresses.
   */
  void apply(String frontendIp, LoadBalancer lb, Duration probeInterval);

  /** Per backend address: whether every probe that watches it says it is up. */
  Map<String, Boolean> health();

  /** The port of its admin HTTP API on 127.0.0.1, or -1 while it is not running. */
  int adminPort();

  @Override
  void close();
}
