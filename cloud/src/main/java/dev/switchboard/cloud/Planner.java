package dev.switchboard.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Plan} of each operation from the model alone, without calling any provider API.
 */
public final class Planner {
  private final String provider;
  private final VirtualNetwork network;

  private Planner(String provider, VirtualNetwork network) {
    this.provider = provider;
    this.network = network;
  }

  /** A planner for operations on {@code ipName} (or whose selected IP is {@code ipName}). */
  public static Planner of(Provider provider, String ipName) {
    return new Planner(provider.name(), provider.lbNetwork(ipName));
  }

  public Plan createIp(String name, boolean withLb, boolean withNat) {
    List<PlanStep> steps = new ArrayList<>();
    steps.add(publicIp("create", name, Tags.publicIp(withNat, null)));
    if (withNat) {
      steps.addAll(natStack(name));
    }
    if (withLb) {
      steps.addAll(lbInfrastructure(name));
      steps.add(tagIp(name, Tags.publicIp(false, Names.loadBalancer(name))));
    }
    return plan("ip create " + name, steps);
  }

  public Plan setupLb(String name) {
    List<PlanStep> steps = new ArrayList<>(lbInfrastructure(name));
    steps.add(tagIp(name, Tags.publicIp(false, Names.loadBalancer(name))));
    return plan("ip setup-lb " + name, steps);
  }

  public Plan removeLb(String name) {
    List<PlanStep> steps = new ArrayList<>();
    steps.add(new PlanStep("delete", "load balancer", Names.loadBalancer(name), List.of(), null));
    steps.add(new PlanStep("delete", "virtual network", Names.vnet(name), List.of(), null));
    steps.add(new PlanStep("delete", "security group", Names.nsg(name), List.of(), null));
    steps.add(tagIp(name, Tags.publicIp(false, null)));
    return plan("ip rm-lb " + name, steps);
  }

  public Plan removeIp(String name, boolean hasLb, boolean hasNat) {
    List<PlanStep> steps = new ArrayList<>();
    List<String> ifPresent = List.of("only if present");
    if (hasLb) {
      steps.add(new PlanStep("delete", "load balancer", Names.loadBalancer(name), ifPresent, null));
      steps.add(new PlanStep("delete", "virtual network", Names.vnet(name), ifPresent, null));
      steps.add(new PlanStep("delete", "security group", Names.nsg(name), ifPresent, null));
    }
    if (hasNat) {
      steps.add(new PlanStep("delete", "virtual network", Names.natVnet(name), ifPresent, null));
      steps.add(new PlanStep("delete", "NAT gateway", Names.natGateway(name), ifPresent, null));
    }
    steps.add(new PlanStep("delete", "public IP", name, List.of(), null));
    return plan("ip rm " + name, steps);
  }

  /**
   * The plan of {@code run}; {@code viaIp} is the selected IP's name, or null without a load
   * balancer.
   */
  public Plan run(RunSpec spec, String viaIp) {
    List<PlanStep> steps = new ArrayList<>();
    List<String> props = new ArrayList<>();
    props.add("image " + spec.image());
    if (spec.task() != null) {
      props.add("command /bin/sh -c " + spec.task());
    }
    props.add("restart policy " + spec.restartPolicy().wireName());
    if (viaIp != null) {
      GroupRouting routing = GroupRouting.of(spec.name(), spec.ports(), spec.healthPort());
      List<String> ports =
          new ArrayList<>(spec.ports().stream().map(ExposedPort::toString).toList());
      int extra = routing.extraHealthPort(spec.ports(), spec.healthPort());
      if (extra > 0) {
        ports.add(extra + "/tcp (health)");
      }
      props.add("ip address Private, ports " + String.join(" ", ports));
      props.add("subnet " + network.subnet().name() + " of " + network.name());
      String lb = Names.loadBalancer(viaIp);
      steps.add(
          new PlanStep(
              "create",
              "container group",
              spec.name(),
              props,
              Tags.containerGroup(spec, viaIp, lb)));
      HealthProbe probe = routing.probe();
      steps.add(
          new PlanStep("add", "probe", lb + "/" + probe.name(), List.of(probe.describe()), null));
      String pool = Names.groupPool(spec.name());
      steps.add(
          new PlanStep(
              "add",
              "backend pool",
              lb + "/" + pool,
              List.of(
                  "address "
                      + Names.backendAddress(spec.name())
                      + ": <private IP of "
                      + spec.name()
                      + ">, virtualNetwork "
                      + network.name()
                      + " (this group's alone)"),
              null));
      for (LbRule r : routing.rules()) {
        steps.add(
            new PlanStep(
                "add",
                "rule",
                lb + "/" + r.name(),
                List.of(
                    r.protocol().name()
                        + " "
                        + r.frontendPort()
                        + " -> "
                        + r.backendPort()
                        + ", frontend "
                        + Names.frontend(viaIp)
                        + ", pool "
                        + r.pool()
                        + ", probe "
                        + r.probeName()),
                null));
      }
      steps.add(
          new PlanStep(
              "update",
              "security group",
              Names.nsg(viaIp),
              List.of(
                  "allow Internet -> "
                      + String.join(" ", spec.ports().stream().map(ExposedPort::toString).toList())
                      + " of "
                      + network.subnet().addressPrefix(),
                  "allow AzureLoadBalancer -> " + probe.port() + "/tcp (probe)"),
              null));
    } else {
      if (spec.bidirectional()) {
        props.add(
            "ip address Public (a new address assigned by the provider), ports "
                + String.join(" ", spec.ports().stream().map(ExposedPort::toString).toList()));
      }
      steps.add(
          new PlanStep(
              "create",
              "container group",
              spec.name(),
              props,
              Tags.containerGroup(spec, null, null)));
    }
    return plan("run " + spec.name(), steps);
  }

  /**
   * The plan of {@code rm}; {@code viaIp} is the IP the group is published on, or null if unknown.
   */
  public Plan removeGroup(String group, String viaIp) {
    List<PlanStep> steps = new ArrayList<>();
    if (viaIp == null) {
      steps.add(
          new PlanStep(
              "remove",
              "backend address",
              Names.backendAddress(group),
              List.of("from the backend pool of the load balancer it is published on, if any"),
              null));
      steps.add(
          new PlanStep(
              "remove",
              "rules+probe",
              "those created for " + group,
              List.of("if it is load-balanced"),
              null));
    } else {
      String lb = Names.loadBalancer(viaIp);
      steps.add(
          new PlanStep(
              "remove",
              "rules+probe+pool",
              lb + " (those created for " + group + ": " + Names.groupPool(group) + ")",
              List.of(),
              null));
      steps.add(
          new PlanStep(
              "update", "security group", Names.nsg(viaIp), List.of("without its rules"), null));
    }
    steps.add(new PlanStep("delete", "container group", group, List.of(), null));
    return plan("rm " + group, steps);
  }

  /** The plan; security groups exist only on Azure (loopback has no firewall to open). */
  private Plan plan(String operation, List<PlanStep> steps) {
    List<PlanStep> kept = new ArrayList<>(steps);
    if (!"azure".equals(provider)) {
      kept.removeIf(s -> s.kind().equals("security group"));
    }
    return new Plan(provider, operation, kept);
  }

  private PlanStep publicIp(String action, String name, Map<String, String> tags) {
    return new PlanStep(
        action, "public IP", name, List.of("sku Standard, allocation Static"), tags);
  }

  private PlanStep tagIp(String name, Map<String, String> tags) {
    return new PlanStep("tag", "public IP", name, List.of(), tags);
  }

  private List<PlanStep> natStack(String name) {
    return List.of(
        new PlanStep(
            "create",
            "NAT gateway",
            Names.natGateway(name),
            List.of("sku Standard, public IP " + name),
            Tags.managed()),
        new PlanStep(
            "create",
            "virtual network",
            Names.natVnet(name),
            List.of(
                "subnet "
                    + Names.natSubnet(name)
                    + " delegated to "
                    + Subnet.CONTAINER_GROUPS
                    + ", NAT gateway "
                    + Names.natGateway(name)),
            Tags.managed()));
  }

  private List<PlanStep> lbInfrastructure(String name) {
    VirtualNetwork vnet = network;
    LoadBalancer lb = LoadBalancer.fresh(name);
    return List.of(
        new PlanStep(
            "create",
            "security group",
            Names.nsg(name),
            List.of(
                "no rules yet: each 'run' opens its ports to Internet and its probe port to"
                    + " AzureLoadBalancer"),
            Tags.nsg(lb.name())),
        new PlanStep(
            "create",
            "virtual network",
            vnet.name(),
            List.of(
                "address space " + vnet.addressPrefix(),
                "subnet "
                    + vnet.subnet().name()
                    + " "
                    + vnet.subnet().addressPrefix()
                    + " delegated to "
                    + vnet.subnet().delegation()
                    + " ("
                    + Subnet.DELEGATION_NAME
                    + ")"
                    + ("azure".equals(provider) ? ", security group " + Names.nsg(name) : "")),
            vnet.tags()),
        new PlanStep(
            "create",
            "load balancer",
            lb.name(),
            List.of(
                "sku " + LoadBalancer.SKU,
                "frontend " + lb.frontendName() + " on public IP " + name,
                "backend pool "
                    + lb.backendPoolName()
                    + " (IP-based, in "
                    + vnet.name()
                    + "; each group gets a pool of its own)"),
            lb.tags()));
  }
}
