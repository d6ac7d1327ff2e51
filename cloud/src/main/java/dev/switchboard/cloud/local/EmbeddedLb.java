package dev.switchboard.cloud.local;

import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.HealthProbe;
import dev.switchboard.cloud.LbRule;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.lb.Backend;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.NoHealthyBackendsBehavior;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.ProbeProtocol;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local provider's load balancer: the real {@code lb} module, driven through its public API.
 */
final class EmbeddedLb implements LbRuntime {
  private dev.switchboard.lb.LoadBalancer running;
  private LbConfig applied;

  @Override
  public void apply(String frontendIp, LoadBalancer model, Duration probeInterval) {
    LbConfig next = toConfig(frontendIp, model, probeInterval);
    if (next.equals(applied)) {
      return;
    }
    if (running == null) {
      running = dev.switchboard.lb.LoadBalancer.start(next, 1);
    } else {
      running.apply(next);
    }
    applied = next;
  }

  /**
   * The lb model of a cloud load balancer: one frontend, and per group a static IP-based pool
   * holding only that group's address, its probe and its rules.
   */
  static LbConfig toConfig(String frontendIp, LoadBalancer model, Duration probeInterval) {
    LbConfig c =
        LbConfig.empty()
            .withAdmin("127.0.0.1", 0)
            .withFrontend(new FrontendConfig(model.frontendName(), frontendIp));
    for (Map.Entry<String, List<BackendAddress>> pool : GroupRouting.pools(model).entrySet()) {
      c =
          c.withPool(
              new PoolConfig(
                  pool.getKey(), pool.getValue().stream().map(EmbeddedLb::backend).toList()));
    }
    for (HealthProbe p : model.probes()) {
      c =
          c.withProbe(
              new ProbeConfig(
                  p.name(),
                  p.kind() == HealthProbe.Kind.HTTP ? ProbeProtocol.HTTP : ProbeProtocol.TCP,
                  p.port(),
                  p.path(),
                  probeInterval,
                  p.threshold(),
                  null,
                  p.allProbedUp()
                      ? NoHealthyBackendsBehavior.ALL_PROBED_UP
                      : NoHealthyBackendsBehavior.ALL_PROBED_DOWN));
    }
    for (LbRule r : model.rules()) {
      c =
          c.withRule(
              RuleConfig.builder(r.name())
                  .frontend(model.frontendName())
                  .frontendPort(r.frontendPort())
                  .protocol(Protocol.parse(r.protocol().lower()))
                  .pool(r.pool())
                  .backendPort(r.backendPort())
                  .probe(r.probeName())
                  // A removed address belongs to a task that is gone: nothing to drain to.
                  .drain(Duration.ZERO)
                  .build());
    }
    return c;
  }

  private static Backend backend(BackendAddress a) {
    return new Backend(a.ipAddress(), a.name());
  }

  @Override
  public Map<String, Boolean> health() {
    Map<String, Boolean> out = new HashMap<>();
    if (running == null) {
      return out;
    }
    List<BackendHealth> all = running.health();
    for (BackendHealth h : all) {
      if (!h.draining()) {
        out.merge(h.ip(), h.up(), Boolean::logicalAnd);
      }
    }
    return out;
  }

  @Override
  public int adminPort() {
    return running == null ? -1 : running.adminPort();
  }

  @Override
  public void close() {
    if (running != null) {
      running.close();
      running = null;
      applied = null;
    }
  }
}
