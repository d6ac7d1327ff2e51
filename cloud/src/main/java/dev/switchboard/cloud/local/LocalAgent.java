package dev.switchboard.cloud.local;

import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.time.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The background process of the local provider: it runs every load balancer and supervises every
 * task of one state directory, and on each tick reconciles them with the store (tasks started or
 * restarted with a fresh private address, each backend pool set to its groups' current addresses,
 * removed groups stopped).
 */
public final class LocalAgent implements AutoCloseable {
  private final StateStore store;
  private final TaskLauncher launcher;
  private final Supplier<LbRuntime> lbFactory;
  private final long pid;
  private final Ticker ticker;

  /**
   * Per group: when its current task started, its restart back-off, and when it may start again
   * (nanoTime).
   */
  private final Map<String, Long> startedAt = new HashMap<>();

  private final Map<String, RestartBackoff> backoff = new HashMap<>();
  private final Map<String, Long> restartAt = new HashMap<>();
  private final Map<String, Process> tasks = new HashMap<>();

  /**
   * The descendants each task had at the last tick: once a task dies its children are re-parented
   * and no longer its descendants, yet they must not outlive it (a handle also checks the start
   * time, so a reused pid is safe).
   */
  private final Map<String, List<ProcessHandle>> families = new HashMap<>();

  private final Map<String, LbRuntime> lbs = new HashMap<>();
  private final Map<String, Optional<String>> engines = new HashMap<>();
  private boolean closed;

  LocalAgent(
      StateStore store,
      TaskLauncher launcher,
      Supplier<LbRuntime> lbFactory,
      long pid,
      Ticker ticker) {
    this.store = store;
    this.launcher = launcher;
    this.lbFactory = lbFactory;
    this.pid = pid;
    this.ticker = ticker;
  }

  /**
   * One reconcile pass; false when this agent is no longer wanted (the store names another, or
   * none).
   */
  synchronized boolean tick() {
    if (closed) {
      return false;
    }
    return store.update(
        state -> {
          if (!Objects.equals(state.agentPid, pid)) {
            return false;
          }
          reconcileTasks(state);
          reconcileLoadBalancers(state);
          state.applied = state.generation;
          // An idle agent keeps running until the CLI stops it, so the CLI can wait for it to be
          // gone.
          return true;
        });
  }

  private void reconcileTasks(LocalState state) {
    for (String name : new ArrayList<>(tasks.keySet())) {
      if (!state.groups.containsKey(name)) {
        stop(tasks.remove(name));
        killFamily(name);
        startedAt.remove(name);
        backoff.remove(name);
        restartAt.remove(name);
      }
    }
    for (GroupRecord g : state.groups.values()) {
      String name = g.spec.name();
      Process p = tasks.get(name);
      if (p != null && p.isAlive()) {
        families.put(name, p.descendants().toList());
      } else if (p != null) {
        tasks.remove(name);
        killFamily(name);
        g.lastExitCode = p.exitValue();
        g.pid = null;
        g.pidStartMillis = null;
        if (g.spec.restartPolicy().restarts(p.exitValue())) {
          long now = ticker.nanoTime();
          Duration ran = Duration.ofNanos(now - startedAt.getOrDefault(name, now));
          Duration wait = backoff.computeIfAbsent(name, n -> new RestartBackoff()).next(ran);
          restartAt.put(name, now + wait.toNanos());
          g.state = GroupRecord.WAITING;
          g.restartCount++;
        } else {
          g.state = GroupRecord.TERMINATED;
          g.health = null;
        }
      }
      if (tasks.get(name) == null && GroupRecord.WAITING.equals(g.state) && dueForRestart(name)) {
        start(g, state);
      } else if (tasks.get(name) == null
          && (GroupRecord.PENDING.equals(g.state) || GroupRecord.RUNNING.equals(g.state))) {
        // Pending: its first start. Running without a process of ours: an earlier agent ran it.
        start(g, state);
      }
    }
  }

  private boolean dueForRestart(String name) {
    Long at = restartAt.get(name);
    return at == null || ticker.nanoTime() - at >= 0;
  }

  private void start(GroupRecord g, LocalState state) {
    String bind;
    if (g.ownPublicAddress != null) {
      bind = g.ownPublicAddress;
    } else {
      Set<String> used = new HashSet<>();
      state.groups.values().forEach(x -> used.add(x.privateAddress));
      AddressPool.Allocation a = AddressPool.PRIVATE.nextFree(state.nextPrivate, used);
      state.nextPrivate = a.offset() % AddressPool.SIZE + 1;
      g.privateAddress = a.address();
      bind = a.address();
    }
    PublicIp via = g.publicIpName == null ? null : state.ips.get(g.publicIpName);
    String publicAddress = via != null ? via.address() : g.ownPublicAddress;
    try {
      Process p =
          launcher.start(
              g.spec,
              TaskLauncher.environment(g.spec, bind, publicAddress, g.healthPort),
              g.restartCount,
              engines.computeIfAbsent(
                  state.containerEngine, e -> TaskLauncher.resolveEngine(e, System.getenv())));
      tasks.put(g.spec.name(), p);
      startedAt.put(g.spec.name(), ticker.nanoTime());
      g.pid = p.pid();
      g.pidStartMillis = p.toHandle().info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
      g.state = GroupRecord.RUNNING;
      g.health = null;
      state.errors.remove(g.spec.name());
    } catch (CloudException e) {
      g.state = GroupRecord.TERMINATED;
      g.pid = null;
      state.errors.put(g.spec.name(), e.getMessage());
    }
  }

  private void reconcileLoadBalancers(LocalState state) {
    for (String name : new ArrayList<>(lbs.keySet())) {
      if (!state.lbs.containsKey(name)) {
        lbs.remove(name).close();
        state.adminPorts.remove(name);
        state.errors.remove(name);
      }
    }
    for (LoadBalancer lb : new ArrayList<>(state.lbs.values())) {
      PublicIp ip = state.ips.get(lb.publicIpName());
      if (ip == null) {
        continue;
      }
      String vnet = Names.vnet(lb.publicIpName());
      List<BackendAddress> backends = new ArrayList<>();
      for (GroupRecord g : state.groups.values()) {
        if (lb.name().equals(g.lbName) && g.privateAddress != null) {
          backends.add(
              new BackendAddress(Names.backendAddress(g.spec.name()), g.privateAddress, vnet));
        }
      }
      LoadBalancer desired =
          new LoadBalancer(
              lb.name(),
              lb.publicIpName(),
              lb.frontendName(),
              lb.backendPoolName(),
              lb.rules(),
              lb.probes(),
              backends,
              lb.tags());
      LbRuntime runtime = lbs.computeIfAbsent(lb.name(), n -> lbFactory.get());
      try {
        runtime.apply(ip.address(), desired, Duration.ofMillis(state.probeIntervalMillis));
        state.errors.remove(lb.name());
      } catch (RuntimeException e) {
        state.errors.put(lb.name(), String.valueOf(e.getMessage()));
      }
      state.adminPorts.put(lb.name(), runtime.adminPort());
      Map<String, Boolean> health = runtime.health();
      for (GroupRecord g : state.groups.values()) {
        if (lb.name().equals(g.lbName)
            && g.privateAddress != null
            && health.containsKey(g.privateAddress)) {
          g.health = health.get(g.privateAddress) ? "up" : "down";
        }
      }
      state.lbs.put(lb.name(), desired);
    }
  }

  private void killFamily(String name) {
    List<ProcessHandle> family = families.remove(name);
    if (family != null) {
      family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every task and load balancer of this agent; the store is left to the CLI. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    tasks.values().forEach(LocalAgent::stop);
    tasks.clear();
    new ArrayList<>(families.keySet()).forEach(this::killFamily);
    lbs.values().forEach(LbRuntime::close);
    lbs.clear();
  }

  /**
   * Claims the store for this process if {@code token} is the one the CLI handed to the agent it
   * spawned.
   */
  boolean claim(String token) {
    return store.update(
        state -> {
          if (!token.equals(state.agentToken) || state.agentPid != null) {
            return false;
          }
          state.agentPid = pid;
          // Tasks of an agent that died (SIGKILL) would keep running unsupervised: stop them, and
          // start afresh.
          for (GroupRecord g : state.groups.values()) {
            if (g.pid != null) {
              ProcessHandle.of(g.pid)
                  .filter(h -> sameStart(h, g.pidStartMillis))
                  .ifPresent(LocalAgent::kill);
              g.pid = null;
              g.pidStartMillis = null;
            }
          }
          return true;
        });
  }

  private static boolean sameStart(ProcessHandle h, Long startMillis) {
    return startMillis != null
        && h.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(false);
  }

  private static void kill(ProcessHandle h) {
    h.descendants().forEach(ProcessHandle::destroyForcibly);
    h.destroyForcibly();
  }

  /** Entry point of the detached agent process: {@code LocalAgent STATE_DIR TOKEN}. */
  public static void main(String[] args) throws InterruptedException {
    StateStore store = new StateStore(Path.of(args[0]));
    LocalAgent agent =
        new LocalAgent(
            store,
            new TaskLauncher(store.dir().resolve("logs")),
            EmbeddedLb::new,
            ProcessHandle.current().pid(),
            Ticker.system());
    if (!agent.claim(args[1])) {
      System.err.println("switchboard agent: another agent owns " + args[0] + "; exiting");
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-shutdown"));
    long tickMillis = store.read().tickMillis;
    while (true) {
      boolean again;
      try {
        again = agent.tick();
      } catch (RuntimeException e) {
        System.err.println("switchboard agent: reconcile failed: " + e);
        again = true;
      }
      if (!again) {
        break;
      }
      Thread.sleep(tickMillis);
    }
    agent.close();
    System.exit(0);
  }
}
