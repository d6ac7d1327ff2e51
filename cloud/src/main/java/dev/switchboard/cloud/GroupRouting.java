package dev.switchboard.cloud;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules and probe a container group gets on a load balancer: one rule per exposed port and
 * protocol, and a TCP probe on the primary port (the first TCP port; a UDP-only group gets a TCP
 * health port with the number of its first port, because Azure probes cannot be UDP).
 */
public record GroupRouting(HealthProbe probe, List<LbRule> rules) {
  public GroupRouting {
    rules = List.copyOf(rules);
  }

  public static GroupRouting of(String group, List<ExposedPort> ports) {
    if (ports.isEmpty()) {
      throw CloudException.invalid("a load-balanced group needs at least one exposed port");
    }
    int healthPort =
        ports.stream()
            .filter(p -> p.protocol() == Protocol.TCP)
            .mapToInt(ExposedPort::port)
            .findFirst()
            .orElse(ports.get(0).port());
    HealthProbe probe = HealthProbe.tcp(healthPort);
    List<LbRule> rules = new ArrayList<>();
    for (ExposedPort p : ports) {
      rules.add(LbRule.forPort(p, probe.name(), group));
    }
    return new GroupRouting(probe, rules);
  }

  /** Whether the health port is an extra TCP port the group must listen on (UDP-only groups). */
  public boolean extraHealthPort(List<ExposedPort> ports) {
    return ports.stream().noneMatch(p -> p.protocol() == Protocol.TCP);
  }

  /** Refuses rules or a probe that another group already owns on {@code lb}. */
  public void checkFree(LoadBalancer lb, String group) {
    for (LbRule r : rules) {
      for (LbRule existing : lb.rules()) {
        if (existing.name().equals(r.name()) && !existing.group().equals(group)) {
          throw CloudException.conflict(
              "load balancer "
                  + lb.name()
                  + " already has "
                  + r.name()
                  + " for container group "
                  + existing.group());
        }
      }
    }
    for (LbRule existing : lb.rules()) {
      if (existing.probeName().equals(probe.name()) && !existing.group().equals(group)) {
        throw CloudException.conflict(
            "load balancer "
                + lb.name()
                + " already probes port "
                + probe.port()
                + " for container group "
                + existing.group());
      }
    }
  }

  /** {@code lb} with this group's rules and probe added (replacing any it had). */
  public LoadBalancer addTo(LoadBalancer lb, String group) {
    LoadBalancer without = removeFrom(lb, group);
    List<LbRule> newRules = new ArrayList<>(without.rules());
    newRules.addAll(rules);
    List<HealthProbe> newProbes = new ArrayList<>(without.probes());
    newProbes.add(probe);
    return new LoadBalancer(
        lb.name(),
        lb.publicIpName(),
        lb.frontendName(),
        lb.backendPoolName(),
        newRules,
        newProbes,
        lb.backends(),
        lb.tags());
  }

  /** {@code lb} without the rules, the probes and the backend address {@code group} owns. */
  public static LoadBalancer removeFrom(LoadBalancer lb, String group) {
    List<LbRule> keep = lb.rules().stream().filter(r -> !r.group().equals(group)).toList();
    List<String> usedProbes = keep.stream().map(LbRule::probeName).distinct().toList();
    List<HealthProbe> probes =
        lb.probes().stream().filter(p -> usedProbes.contains(p.name())).toList();
    List<BackendAddress> backends =
        lb.backends().stream().filter(b -> !b.name().equals(Names.backendAddress(group))).toList();
    return new LoadBalancer(
        lb.name(),
        lb.publicIpName(),
        lb.frontendName(),
        lb.backendPoolName(),
        keep,
        probes,
        backends,
        lb.tags());
  }
}
