package dev.switchboard.lb.internal;

import dev.switchboard.lb.ProbeConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * One probe attempt against one backend; completes with true if the backend answered as healthy.
 */
public interface HealthCheck {

  /** Never completes exceptionally and always completes within {@code probe.timeout()}. */
  CompletionStage<Boolean> check(InetSocketAddress target, ProbeConfig probe);
}
