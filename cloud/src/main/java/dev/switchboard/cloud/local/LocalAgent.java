package dev.switchboard.cloud.local;

import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.LoadBalancer;
import dev.switchboard.cloud.Names;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.time.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
  private final Clock clock;

  /**
   * Per group: when its current task started, its restart back-off, and when it may start again
   * (nanoTime).
   */
  private final Map<String, Long> startedAt = new HashMap<>();

  private final Map<String, RestartBackoff> backoff = new HashMap<>();
  private final Map<String, Long> restartAt = new HashMap<>();
  private final Map<String, Task> tasks = new HashMap<>();

  private final Map<String, LbRuntime> lbs = new HashMap<>();
  private boolean closed;

  /**
   * A started task: its process (the engine's client for a container) and the descendants it had at
   * the last tick, which must not outlive it either.
   */
  private static final class Task {
    final Process process;
    final ContainerEngine engine;
    final String container;
    List<ProcessHandle> family = List.of();

    Task(Process process, ContainerEngine engine, String container) {
      this.process = process;
      this.engine = engine;
      this.container = container;
    }

    void stop() {
      if (engine != null) {
        engine.remove(container);
      }
      ProcessTree.stop(process.toHandle(), family, 5);
      if (engine != null) {
        // The client may have been creating the container while the first remove ran.
        engine.remove(container);
      }
    }

    /** After the task exited: whatever it left behind goes too. */
    void reap() {
      ProcessTree.kill(process.toHandle(), family);
      if (engine != null) {
        engine.remove(container);
      }
    }
  }

  LocalAgent(
      StateStore store,
      TaskLauncher launcher,
      Supplier<LbRuntime> lbFactory,
      long pid,
      Ticker ticker,
      Clock clock) {
    this.store = store;
    this.launcher = launcher;
    this.lbFactory = lbFactory;
    this.pid = pid;
    this.ticker = ticker;
    this.clock = clock;
  }

  /**
   * One reconcile pass; false when this agent is no longer wanted: the store names another agent or
   * none, nothing in it needs an agent, or the state was deleted.
   */
  synchronized boolean tick() {
    if (closed) {
      return false;
    }
    return store
        .updateIfPresent(
            state -> {
              if (!Objects.equals(state.agentPid, pid)) {
                return false;
              }
              reconcileTasks(state);
              reconcileLoadBalancers(state);
              state.applied = state.generation;
              // The CLI stops an idle agent and waits for it; if that CLI died first, the agent
              // still goes. The pid stays recorded so a CLI can wait for it to be gone.
              return !state.idle();
            })
        .orElse(false);
  }

  private void reconcileTasks(LocalState state) {
    for (String name : new ArrayList<>(tasks.keySet())) {
      if (!state.groups.containsKey(name)) {
        tasks.remove(name).stop();
        startedAt.remove(name);
        backoff.remove(name);
        restartAt.remove(name);
      }
    }
    for (GroupRecord g : state.groups.values()) {
      String name = g.spec.name();
      Task t = tasks.get(name);
      if (t != null && t.process.isAlive()) {
        t.family = t.process.descendants().toList();
      } else if (t != null) {
        tasks.remove(name);
        t.reap();
        exited(g, t.process.exitValue());
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

  private void exited(GroupRecord g, int exitCode) {
    String name = g.spec.name();
    g.lastExitCode = exitCode;
    List<String> tail = launcher.tail(name, 1);
    g.lastError = tail.isEmpty() ? null : clip(tail.get(0));
    g.pid = null;
    g.pidStartMillis = null;
    g.containerName = null;
    if (g.spec.restartPolicy().restarts(exitCode)) {
      long now = ticker.nanoTime();
      Duration ran = Duration.ofNanos(now - startedAt.getOrDefault(name, now));
      Duration wait = backoff.computeIfAbsent(name, n -> new RestartBackoff()).next(ran);
      restartAt.put(name, now + wait.toNanos());
      g.nextStartMillis = clock.millis() + wait.toMillis();
      g.state = GroupRecord.WAITING;
      g.restartCount++;
    } else {
      g.state = GroupRecord.TERMINATED;
      g.health = null;
      g.nextStartMillis = null;
    }
  }

  private static String clip(String line) {
    String l = line.strip();
    return l.length() <= 300 ? l : l.substring(0, 300) + "...";
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
    boolean first = GroupRecord.PENDING.equals(g.state);
    try {
      ContainerEngine engine =
          g.engine == null
              ? null
              : ContainerEngine.resolve(g.engine, store.dir(), System.getenv()).orElse(null);
      String container =
          engine == null ? null : engine.containerName(g.spec.name(), g.restartCount);
      Process p =
          launcher.start(
              g.spec,
              TaskLauncher.environment(g.spec, bind, publicAddress, g.healthPort),
              first,
              engine,
              container,
              g.workDir == null ? null : Path.of(g.workDir));
      tasks.put(g.spec.name(), new Task(p, engine, container));
      startedAt.put(g.spec.name(), ticker.nanoTime());
      g.pid = p.pid();
      g.pidStartMillis = p.toHandle().info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
      g.containerName = container;
      g.state = GroupRecord.RUNNING;
      g.health = null;
      g.nextStartMillis = null;
      state.errors.remove(g.spec.name());
    } catch (CloudException e) {
      g.state = GroupRecord.TERMINATED;
      g.pid = null;
      g.lastError = e.getMessage();
      g.nextStartMillis = null;
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

  /** Stops every task and load balancer of this agent; the store is left to the CLI. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    tasks.values().forEach(Task::stop);
    tasks.clear();
    lbs.values().forEach(LbRuntime::close);
    lbs.clear();
  }

  /**
   * Claims the store for this process if {@code token} is the one the CLI handed to the agent it
   * spawned.
   */
  boolean claim(String token) {
    return store
        .updateIfPresent(
            state -> {
              if (!token.equals(state.agentToken) || state.agentPid != null) {
                return false;
              }
              state.agentPid = pid;
              // Tasks of an agent that died (SIGKILL) would keep running unsupervised: stop them,
              // and start afresh.
              Orphans.reap(state.groups.values(), store.dir(), true);
              return true;
            })
        .orElse(false);
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
            Ticker.system(),
            Clock.systemUTC());
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
