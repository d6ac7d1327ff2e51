package dev.switchboard.cloud;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The operations of seed 004 over one {@link Provider}: checks names, option combinations and the
 * selected IP before the provider is asked to change anything.
 */
public final class Cloud implements AutoCloseable {
  private final Provider provider;
  private final Selection selection;

  public Cloud(Provider provider, Path stateDir) {
    this.provider = provider;
    this.selection = new Selection(stateDir, provider.name());
  }

  public Provider provider() {
    return provider;
  }

  public PublicIp createIp(String name, boolean withLb, boolean withNat) {
    checkIpFlags(name, withLb, withNat);
    if (provider.findIp(name).isPresent()) {
      throw CloudException.conflict("public IP " + name + " already exists");
    }
    return provider.createIp(name, withLb, withNat);
  }

  public Plan planCreateIp(String name, boolean withLb, boolean withNat) {
    checkIpFlags(name, withLb, withNat);
    return Planner.of(provider, name).createIp(name, withLb, withNat);
  }

  public PublicIp setupLoadBalancer(String name) {
    PublicIp ip = existing(name);
    if (ip.hasLoadBalancer()) {
      throw CloudException.conflict(
          "public IP " + name + " already has load balancer " + ip.lbName());
    }
    if (ip.hasNatStack()) {
      throw CloudException.conflict(
          "public IP "
              + name
              + " serves a NAT stack; an IP cannot be both a NAT gateway's and a load"
              + " balancer's frontend");
    }
    return provider.setupLoadBalancer(name);
  }

  public Plan planSetupLoadBalancer(String name) {
    Names.check(name, "public IP");
    return Planner.of(provider, name).setupLb(name);
  }

  public List<PublicIp> listIps() {
    return provider.listIps();
  }

  public Optional<String> selected() {
    return selection.get();
  }

  public PublicIp select(String name) {
    PublicIp ip = existing(name);
    selection.set(name);
    return ip;
  }

  public PublicIp removeLoadBalancer(String name) {
    PublicIp ip = existing(name);
    if (!ip.hasLoadBalancer()) {
      throw CloudException.precondition("public IP " + name + " has no load balancer");
    }
    checkNoGroups(ip, "ip rm-lb");
    return provider.removeLoadBalancer(name);
  }

  public Plan planRemoveLoadBalancer(String name) {
    Names.check(name, "public IP");
    return Planner.of(provider, name).removeLb(name);
  }

  public void removeIp(String name) {
    PublicIp ip = existing(name);
    checkNoGroups(ip, "ip rm");
    provider.removeIp(name);
    if (selection.get().filter(name::equals).isPresent()) {
      selection.clear();
    }
  }

  /**
   * The plan of {@code ip rm}: what would go if present (the plan reads nothing from the provider).
   */
  public Plan planRemoveIp(String name) {
    Names.check(name, "public IP");
    return Planner.of(provider, name).removeIp(name, true, true);
  }

  /**
   * Deploys a group; with {@code --use-load-balancer} the selected IP must carry {@code
   * has_load_balancer=true}.
   */
  public ContainerGroup run(RunSpec spec) {
    provider.validate(spec);
    PublicIp via = spec.useLoadBalancer() ? selectedWithLoadBalancer() : null;
    if (provider.listGroups().stream().anyMatch(g -> g.name().equals(spec.name()))) {
      throw CloudException.conflict("container group " + spec.name() + " already exists");
    }
    if (via != null) {
      GroupRouting.of(spec.name(), spec.ports(), spec.healthPort())
          .checkFree(
              provider.findLoadBalancer(via.name()).orElseThrow(() -> missingLb(via)), spec.name());
    }
    return provider.run(spec, via);
  }

  /** The plan of {@code run}; validates the selection from local state only (no provider call). */
  public Plan planRun(RunSpec spec) {
    provider.validate(spec);
    String via = null;
    if (spec.useLoadBalancer()) {
      via =
          selection
              .get()
              .orElseThrow(
                  () ->
                      CloudException.precondition(
                          "--use-load-balancer needs a selected IP: run 'ip select NAME'"));
    }
    return Planner.of(provider, via == null ? spec.name() : via).run(spec, via);
  }

  public List<ContainerGroup> listGroups() {
    return provider.listGroups();
  }

  public void removeGroup(String name) {
    group(name);
    provider.removeGroup(name);
  }

  /**
   * The plan of {@code rm}; {@code viaIp} is the IP the group is published on, if the caller knows
   * it.
   */
  public Plan planRemoveGroup(String name, String viaIp) {
    Names.check(name, "container group");
    return Planner.of(provider, name).removeGroup(name, viaIp);
  }

  public ReconcileResult reconcile(String ipName) {
    PublicIp ip = existing(ipName);
    if (!ip.hasLoadBalancer()) {
      throw CloudException.precondition("public IP " + ipName + " has no load balancer");
    }
    return provider.reconcile(ipName);
  }

  public Optional<LoadBalancer> loadBalancer(String ipName) {
    return provider.findLoadBalancer(ipName);
  }

  @Override
  public void close() {
    provider.close();
  }

  private PublicIp selectedWithLoadBalancer() {
    String name =
        selection
            .get()
            .orElseThrow(
                () ->
                    CloudException.precondition(
                        "--use-load-balancer needs a selected IP with a load balancer: run 'ip create NAME"
                            + " --with-load-balancer' and 'ip select NAME'"));
    PublicIp ip =
        provider
            .findIp(name)
            .orElseThrow(
                () ->
                    CloudException.precondition(
                        "the selected IP " + name + " no longer exists; select another"));
    if (!ip.hasLoadBalancer()) {
      throw CloudException.precondition(
          "the selected IP "
              + name
              + " has no load balancer (tag has_load_balancer is not true): run 'ip setup-lb "
              + name
              + "' first");
    }
    return ip;
  }

  private ContainerGroup group(String name) {
    Names.check(name, "container group");
    return provider.listGroups().stream()
        .filter(g -> g.name().equals(name))
        .findFirst()
        .orElseThrow(() -> CloudException.notFound("container group " + name + " does not exist"));
  }

  private PublicIp existing(String name) {
    Names.check(name, "public IP");
    return provider
        .findIp(name)
        .orElseThrow(() -> CloudException.notFound("public IP " + name + " does not exist"));
  }

  private void checkNoGroups(PublicIp ip, String op) {
    List<String> users =
        provider.listGroups().stream()
            .filter(g -> ip.name().equals(g.publicIpName()))
            .map(ContainerGroup::name)
            .toList();
    if (!users.isEmpty()) {
      throw CloudException.conflict(
          op
              + " "
              + ip.name()
              + ": container group(s) "
              + String.join(", ", users)
              + " still use its load balancer; remove them first with 'rm NAME'");
    }
  }

  private static CloudException missingLb(PublicIp ip) {
    return CloudException.precondition(
        "public IP "
            + ip.name()
            + " is tagged with load balancer "
            + ip.lbName()
            + ", which does not exist");
  }

  private static void checkIpFlags(String name, boolean withLb, boolean withNat) {
    Names.check(name, "public IP");
    if (withLb && withNat) {
      throw CloudException.invalid(
          "--with-load-balancer and --with-nat-stack exclude each other: an IP is the frontend of either a load"
              + " balancer or a NAT gateway");
    }
  }
}
