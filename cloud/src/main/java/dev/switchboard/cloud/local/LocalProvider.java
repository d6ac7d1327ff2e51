package dev.switchboard.cloud.local;

import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.GroupRouting;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.Provider;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.ReconcileResult;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.Tags;
import dev.switchboard.cloud.VirtualNetwork;
import dev.switchboard.time.Sleeper;
import dev.switchboard.time.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The default provider: public IPs from 127.77.0.0/16, container groups as local processes with a
 * fresh address from 127.78.0.0/16 on every start, load balancers from the {@code lb} module, all
 * run by one detached {@link LocalAgent} and recorded in {@code <state-dir>/local/state.json}.
 */
public final class LocalProvider implements Provider {
  /**
   * Tunables; tests shorten the probe interval, the default is Azure's minimum of 5 s.
   *
   * @param workDir where {@code run} was called from: a task run as a process starts there, so
   *     {@code -t ./echo.sh} means the caller's echo.sh
   * @param startCheck how long {@code run} watches a new task for an exit at once (zero: not at
   *     all)
   */
  public record Options(
      Duration probeInterval,
      Duration tick,
      Duration timeout,
      String agentClasspath,
      String containerEngine,
      Path workDir,
      Duration startCheck) {
    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(5),
          Duration.ofMillis(250),
          Duration.ofSeconds(30),
          System.getProperty("java.class.path"),
          "auto",
          Path.of("").toAbsolutePath(),
          Duration.ofSeconds(2));
    }

    public Options withProbeInterval(Duration d) {
      return new Options(d, tick, timeout, agentClasspath, containerEngine, workDir, startCheck);
    }

    /** {@code auto}, {@code none} (tasks run as processes), {@code docker} or {@code podman}. */
    public Options withContainerEngine(String engine) {
      return new Options(probeInterval, tick, timeout, agentClasspath, engine, workDir, startCheck);
    }

    public Options withWorkDir(Path dir) {
      return new Options(
          probeInterval, tick, timeout, agentClasspath, containerEngine, dir, startCheck);
    }

    public Options withStartCheck(Duration d) {
      return new Options(probeInterval, tick, timeout, agentClasspath, containerEngine, workDir, d);
    }
  }

  private final StateStore store;
  private final AgentProcess agent;
  private final Options options;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final StartCheck startCheck;

  public LocalProvider(Path stateDir, Options options) {
    this(stateDir, options, Ticker.system(), Sleeper.system());
  }

  /** {@code ticker} and {@code sleeper} measure and wait while the provider polls the store. */
  public LocalProvider(Path stateDir, Options options, Ticker ticker, Sleeper sleeper) {
    if (!List.of("auto", "none", "docker", "podman").contains(options.containerEngine())) {
      throw CloudException.invalid(
          "--container-engine must be auto, none, docker or podman, got '"
              + options.containerEngine()
              + "'");
    }
    this.store = new StateStore(stateDir.resolve("local"));
    this.agent = new AgentProcess(store, options.agentClasspath(), ticker, sleeper);
    this.options = options;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.startCheck =
        new StartCheck(store, new TaskLauncher(store.dir().resolve("logs")), ticker, sleeper);
  }

  @Override
  public String name() {
    return "local";
  }

  /** The state file, for tools and tests that show it. */
  public Path stateFile() {
    return store.file();
  }

  /** The agent's pid, if one is recorded. */
  public Optional<Long> agentPid() {
    return Optional.ofNullable(store.read().agentPid);
  }

  /** The admin API port of an IP's running load balancer, if it runs. */
  public Optional<Integer> adminPort(String ipName) {
    Integer p = store.read().adminPorts.get(Names.loadBalancer(ipName));
    return p == null || p < 0 ? Optional.empty() : Optional.of(p);
  }

  /** The pids of the tasks the store says are running. */
  public List<Long> taskPids() {
    List<Long> out = new ArrayList<>();
    store
        .read()
        .groups
        .values()
        .forEach(
            g -> {
              if (g.pid != null) {
                out.add(g.pid);
              }
            });
    return out;
  }

  /** The pid of a group's running task, if it runs. */
  public Optional<Long> taskPid(String group) {
    GroupRecord g = store.read().groups.get(group);
    return g == null ? Optional.empty() : Optional.ofNullable(g.pid);
  }

  /**
   * Whether the probe of the group's current address says up ("up"), down ("down") or has not run
   * (empty).
   */
  public Optional<String> health(String group) {
    GroupRecord g = store.read().groups.get(group);
    return g == null ? Optional.empty() : Optional.ofNullable(g.health);
  }

  @Override
  public VirtualNetwork lbNetwork(String ipName) {
    return VirtualNetwork.forLoadBalancer(
        ipName, AddressPool.PRIVATE.cidr(), AddressPool.PRIVATE.cidr());
  }

  @Override
  public PublicIp createIp(String name, boolean withLoadBalancer, boolean withNatStack) {
    change(
        s -> {
          if (s.ips.containsKey(name)) {
            throw CloudException.conflict("public IP " + name + " already exists");
          }
          String address = AddressPool.PUBLIC.lowestFree(usedPublic(s));
          s.ips.put(name, new PublicIp(name, address, Tags.publicIp(withNatStack, null)));
          if (withNatStack) {
            // Recorded for ip ls and rm; loopback traffic has no egress to translate (see
            // docs/cloud.md).
            s.natGateways.put(Names.natGateway(name), name);
          }
        });
    return withLoadBalancer ? setupLoadBalancer(name) : findIp(name).orElseThrow();
  }

  @Override
  public PublicIp setupLoadBalancer(String name) {
    change(
        s -> {
          PublicIp ip = s.ips.get(name);
          VirtualNetwork vnet = lbNetwork(name);
          s.vnets.put(vnet.name(), vnet);
          LoadBalancer lb = LoadBalancer.fresh(name);
          s.lbs.put(lb.name(), lb);
          s.ips.put(
              name, new PublicIp(name, ip.address(), Tags.publicIp(ip.hasNatStack(), lb.name())));
        });
    agent.ensureRunning(options.timeout());
    awaitApplied();
    failOnError(Names.loadBalancer(name));
    return findIp(name).orElseThrow();
  }

  @Override
  public List<PublicIp> listIps() {
    return List.copyOf(store.read().ips.values());
  }

  @Override
  public Optional<PublicIp> findIp(String name) {
    return Optional.ofNullable(store.read().ips.get(name));
  }

  @Override
  public Optional<LoadBalancer> findLoadBalancer(String ipName) {
    return Optional.ofNullable(store.read().lbs.get(Names.loadBalancer(ipName)));
  }

  @Override
  public PublicIp removeLoadBalancer(String name) {
    change(
        s -> {
          PublicIp ip = s.ips.get(name);
          s.lbs.remove(Names.loadBalancer(name));
          s.vnets.remove(Names.vnet(name));
          s.ips.put(name, new PublicIp(name, ip.address(), Tags.publicIp(ip.hasNatStack(), null)));
        });
    settle();
    return findIp(name).orElseThrow();
  }

  @Override
  public void removeIp(String name) {
    if (findIp(name).map(PublicIp::hasLoadBalancer).orElse(false)) {
      removeLoadBalancer(name);
    }
    change(
        s -> {
          s.natGateways.remove(Names.natGateway(name));
          s.ips.remove(name);
        });
    settle();
  }

  @Override
  public ContainerGroup run(RunSpec spec, PublicIp via) {
    Optional<ContainerEngine> engine =
        ContainerEngine.resolve(options.containerEngine(), store.dir(), System.getenv());
    if (spec.task() == null && engine.isEmpty()) {
      throw CloudException.invalid(
          "no container engine (docker or podman) is installed, so image "
              + spec.image()
              + " cannot run; give the command to run as a process with -t TASK");
    }
    // Before anything is recorded: an image that is not there fails run, not the agent's loop.
    engine.ifPresent(e -> e.ensureImage(spec.image()));
    change(
        s -> {
          if (s.groups.containsKey(spec.name())) {
            throw CloudException.conflict("container group " + spec.name() + " already exists");
          }
          GroupRecord g = new GroupRecord();
          g.spec = spec;
          g.engine = engine.map(ContainerEngine::name).orElse(null);
          g.workDir = options.workDir().toAbsolutePath().toString();
          if (via != null) {
            LoadBalancer lb = s.lbs.get(via.lbName());
            GroupRouting routing = GroupRouting.of(spec.name(), spec.ports(), spec.healthPort());
            routing.checkFree(lb, spec.name());
            s.lbs.put(lb.name(), routing.addTo(lb, spec.name()));
            g.publicIpName = via.name();
            g.lbName = lb.name();
            // A probe that only decides nothing (AllProbedUp) asks the task to open no port.
            g.healthPort = routing.probe().allProbedUp() ? 0 : routing.probe().port();
          } else if (spec.bidirectional()) {
            // The old bidirectional mode: an address of its own, not the selected one.
            g.ownPublicAddress = AddressPool.PUBLIC.lowestFree(usedPublic(s));
          }
          s.groups.put(spec.name(), g);
        });
    agent.ensureRunning(options.timeout());
    awaitApplied();
    LocalState after = store.read();
    String error = after.errors.get(spec.name());
    if (error == null && via != null) {
      error = after.errors.get(via.lbName());
    }
    if (error == null) {
      error = startCheck.failure(spec.name(), options.startCheck()).orElse(null);
    }
    if (error != null) {
      // Nothing half-made stays behind: the group goes, and with it its rules.
      removeGroup(spec.name());
      throw CloudException.provider("run " + spec.name() + ": " + error, null);
    }
    return listGroups().stream()
        .filter(g -> g.name().equals(spec.name()))
        .findFirst()
        .orElseThrow();
  }

  @Override
  public List<ContainerGroup> listGroups() {
    return store.read().groups.values().stream().map(GroupRecord::view).toList();
  }

  @Override
  public void removeGroup(String name) {
    GroupRecord[] removed = new GroupRecord[1];
    change(
        s -> {
          GroupRecord g = s.groups.remove(name);
          if (g != null && g.lbName != null && s.lbs.containsKey(g.lbName)) {
            s.lbs.put(g.lbName, GroupRouting.removeFrom(s.lbs.get(g.lbName), name));
          }
          s.errors.remove(name);
          removed[0] = g;
        });
    settle();
    if (removed[0] != null) {
      // Without a live agent nobody else stops what the record names (a no-op once it is gone).
      Orphans.reap(List.of(removed[0]), store.dir(), false);
    }
  }

  @Override
  public ReconcileResult reconcile(String ipName) {
    String lbName = Names.loadBalancer(ipName);
    Set<String> before = addresses(store.read().lbs.get(lbName));
    change(s -> {});
    agent.ensureRunning(options.timeout());
    awaitApplied();
    LoadBalancer lb = store.read().lbs.get(lbName);
    Set<String> after = addresses(lb);
    List<String> added = after.stream().filter(Predicate.not(before::contains)).sorted().toList();
    List<String> removed = before.stream().filter(Predicate.not(after::contains)).sorted().toList();
    return new ReconcileResult(lbName, added, removed, after.stream().sorted().toList());
  }

  @Override
  public void close() {}

  private static Set<String> addresses(LoadBalancer lb) {
    Set<String> out = new HashSet<>();
    if (lb != null) {
      lb.backends().stream().map(BackendAddress::ipAddress).forEach(out::add);
    }
    return out;
  }

  private static Set<String> usedPublic(LocalState s) {
    Set<String> used = new HashSet<>();
    s.ips.values().forEach(ip -> used.add(ip.address()));
    s.groups.values().forEach(g -> used.add(g.ownPublicAddress));
    return used;
  }

  private interface Change {
    void apply(LocalState s);
  }

  /** Applies a change to the store and bumps its generation so the agent acts on it. */
  private void change(Change c) {
    store.update(
        s -> {
          c.apply(s);
          s.generation++;
          s.probeIntervalMillis = options.probeInterval().toMillis();
          s.tickMillis = options.tick().toMillis();
          return Boolean.TRUE;
        });
  }

  /** Waits until the agent acted on the last change, then stops it if nothing needs it any more. */
  private void settle() {
    LocalState s = store.read();
    if (s.agentPid != null && AgentProcess.alive(s.agentPid)) {
      awaitApplied();
    }
    agent.stopIfIdle(options.timeout());
  }

  private void awaitApplied() {
    long start = ticker.nanoTime();
    boolean respawned = false;
    while (true) {
      LocalState s = store.read();
      if (s.applied >= s.generation) {
        return;
      }
      if ((s.agentPid == null || !AgentProcess.alive(s.agentPid)) && !respawned) {
        // An agent that found nothing to do exits; another CLI may have just given it work.
        respawned = true;
        agent.ensureRunning(options.timeout());
        continue;
      }
      if (s.agentPid == null || !AgentProcess.alive(s.agentPid)) {
        throw CloudException.provider(
            "the local agent stopped (" + agent.lastLogLine() + "); see " + agent.log(), null);
      }
      if (ticker.nanoTime() - start >= options.timeout().toNanos()) {
        throw CloudException.provider(
            "the local agent did not apply the change within "
                + options.timeout().toSeconds()
                + " s; see "
                + agent.log(),
            null);
      }
      try {
        sleeper.sleep(Duration.ofMillis(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CloudException.provider("interrupted while waiting for the local agent", e);
      }
    }
  }

  private void failOnError(String resource) {
    String error = store.read().errors.get(resource);
    if (error != null) {
      throw CloudException.provider(resource + ": " + error, null);
    }
  }
}
