package dev.switchboard.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules, probe and backend pool a container group gets on a load balancer: one rule per exposed
 * port and protocol, all sending to the group's own pool, and one probe of the group's own.
 *
 * <p>The probe is {@code --health-port} when given; otherwise a TCP probe of the first exposed TCP
 * port; a UDP-only group without {@code --health-port} gets a TCP probe of its first port number
 * with {@code AllProbedUp}, because Azure cannot probe UDP and the group must not be taken out for
 * the lack of a TCP listener.
 */
public record GroupRouting(HealthProbe probe, List<LbRule> rules) {
  public GroupRouting {
    rules = List.copyOf(rules);
  }

  public static GroupRouting of(String group, List<ExposedPort> ports) {
    return of(group, ports, null);
  }

  public static GroupRouting of(String group, List<ExposedPort> ports, HealthPort health) {
    if (ports.isEmpty()) {
      throw CloudException.invalid("a load-balanced group needs at least one exposed port");
    }
    HealthProbe probe;
    String name = Names.probe(group);
    if (health != null) {
      probe =
          new HealthProbe(
              name,
              health.kind(),
              health.port(),
              health.path(),
              HealthProbe.INTERVAL_SECONDS,
              HealthProbe.THRESHOLD,
              false);
    } else {
      int tcp =
          ports.stream()
              .filter(p -> p.protocol() == Protocol.TCP)
              .mapToInt(ExposedPort::port)
              .findFirst()
              .orElse(0);
      probe =
          tcp > 0
              ? HealthProbe.tcp(name, tcp, false)
              : HealthProbe.tcp(name, ports.get(0).port(), true);
    }
    List<LbRule> rules = new ArrayList<>();
    for (ExposedPort p : ports) {
      rules.add(LbRule.forPort(p, probe.name(), group));
    }
    return new GroupRouting(probe, rules);
  }

  /**
   * The port the group must open for the probe beyond its exposed ports, or 0: an explicit {@code
   * --health-port} that is not an exposed TCP port.
   */
  public int extraHealthPort(List<ExposedPort> ports, HealthPort health) {
    if (health == null) {
      return 0;
    }
    boolean exposed =
        ports.stream().anyMatch(p -> p.port() == health.port() && p.protocol() == Protocol.TCP);
    return exposed ? 0 : health.port();
  }

  /** Refuses rules that another group already owns on {@code lb}. */
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
        without.backends(),
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

  /** {@code lb} with {@code address} registered (replacing the entry of the same name). */
  public static LoadBalancer withBackend(LoadBalancer lb, BackendAddress address) {
    List<BackendAddress> backends = new ArrayList<>();
    lb.backends().stream().filter(b -> !b.name().equals(address.name())).forEach(backends::add);
    backends.add(address);
    return withBackends(lb, backends);
  }

  /** {@code lb} with exactly {@code backends} registered. */
  public static LoadBalancer withBackends(LoadBalancer lb, List<BackendAddress> backends) {
    return new LoadBalancer(
        lb.name(),
        lb.publicIpName(),
        lb.frontendName(),
        lb.backendPoolName(),
        lb.rules(),
        lb.probes(),
        backends,
        lb.tags());
  }

  /**
   * Each group pool of {@code lb} with its members: a rule's pool holds only the backend address of
   * the group that owns the rule.
   */
  public static Map<String, List<BackendAddress>> pools(LoadBalancer lb) {
    Map<String, List<BackendAddress>> out = new LinkedHashMap<>();
    for (LbRule r : lb.rules()) {
      out.computeIfAbsent(
          r.pool(),
          p ->
              lb.backends().stream()
                  .filter(b -> b.name().equals(Names.backendAddress(r.group())))
                  .toList());
    }
    return out;
  }
}
