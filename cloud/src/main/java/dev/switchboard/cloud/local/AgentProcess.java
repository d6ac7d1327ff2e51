package dev.switchboard.cloud.local;

import dev.switchboard.cloud.CloudException;
import dev.switchboard.time.Sleeper;
import dev.switchboard.time.Ticker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the detached {@link LocalAgent} of a state directory: the CLI exits after each
 * command while the load balancers and tasks must keep running, so they live in one background JVM
 * whose pid is in the store.
 */
final class AgentProcess {
  private static final String SETSID = "/usr/bin/setsid";
  private static final Duration POLL = Duration.ofMillis(50);

  /**
   * Comes before the (long) class path: the kernel shows only the first 4 KiB of a command line.
   */
  private static final String MARKER = "-Dswitchboard.role=local-agent";

  /** Agents this JVM started, by pid (setsid execs in place, so it is the agent's). */
  private static final Map<Long, Process> SPAWNED = new ConcurrentHashMap<>();

  private final StateStore store;
  private final String classpath;
  private final Ticker ticker;
  private final Sleeper sleeper;

  AgentProcess(StateStore store, String classpath, Ticker ticker, Sleeper sleeper) {
    this.store = store;
    this.classpath = classpath;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  Path log() {
    return store.dir().resolve("agent.log");
  }

  /** The last line the agent logged, or a note that it logged nothing. */
  String lastLogLine() {
    try {
      List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
      return lines.isEmpty() ? "it logged nothing" : lines.get(lines.size() - 1).trim();
    } catch (IOException e) {
      return "its log is unreadable: " + e.getMessage();
    }
  }

  /**
   * Starts the agent unless one of this state directory is alive; the pid is recorded under the
   * store's lock.
   */
  void ensureRunning(Duration timeout) {
    String token =
        store.update(
            state -> {
              if (state.agentPid != null && alive(state.agentPid)) {
                return null;
              }
              state.agentPid = null;
              state.agentToken = UUID.randomUUID().toString();
              spawn(state.agentToken);
              return state.agentToken;
            });
    if (token == null) {
      return;
    }
    long start = ticker.nanoTime();
    while (ticker.nanoTime() - start < timeout.toNanos()) {
      LocalState s = store.read();
      if (s.agentPid != null && token.equals(s.agentToken)) {
        return;
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw CloudException.provider(
        "the local agent did not start within "
            + timeout.toSeconds()
            + " s ("
            + lastLogLine()
            + "); see "
            + log(),
        null);
  }

  /**
   * Stops the agent when nothing needs it any more, and waits until it (and so every task) is gone.
   */
  void stopIfIdle(Duration timeout) {
    Long pid =
        store.update(
            state -> {
              if (!state.idle() || state.agentPid == null) {
                return null;
              }
              Long p = state.agentPid;
              state.agentPid = null;
              state.agentToken = null;
              return p;
            });
    if (pid != null) {
      stop(pid, timeout);
    }
  }

  static boolean alive(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    return h.isPresent()
        && ProcessTree.running(pid)
        && h.get().info().commandLine().map(c -> c.contains(MARKER)).orElse(true);
  }

  /**
   * SIGTERM, then SIGKILL after {@code timeout}; returns once it is gone. Polls rather than waits
   * on {@link ProcessHandle#onExit()}: the agent is no child of this CLI, and where PID 1 does not
   * reap it stays a zombie that onExit takes for alive.
   */
  private void stop(long pid, Duration timeout) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(x -> alive(pid));
    if (h.isEmpty()) {
      // It may have exited by itself (idle) without being reaped yet.
      reapSpawned(pid, timeout);
      return;
    }
    h.get().destroy();
    if (!waitGone(pid, timeout)) {
      h.get().destroyForcibly();
      waitGone(pid, timeout);
    }
  }

  /** Waits until this JVM reaped an agent it spawned itself (tests do), if it did. */
  private static void reapSpawned(long pid, Duration timeout) {
    Process child = SPAWNED.remove(pid);
    if (child != null) {
      try {
        child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean waitGone(long pid, Duration timeout) {
    long start = ticker.nanoTime();
    while (ProcessTree.running(pid)) {
      if (ticker.nanoTime() - start >= timeout.toNanos()) {
        return false;
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    reapSpawned(pid, timeout);
    return true;
  }

  private void spawn(String token) {
    List<String> cmd = new ArrayList<>();
    if (new File(SETSID).canExecute()) {
      // A session of its own: a Ctrl-C in the terminal that ran the CLI does not reach the agent.
      cmd.add(SETSID);
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(MARKER, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    cmd.addAll(
        List.of("-cp", classpath, LocalAgent.class.getName(), store.dir().toString(), token));
    try {
      Files.createDirectories(store.dir());
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
      pb.redirectErrorStream(true);
      Process p = pb.start();
      SPAWNED.put(p.pid(), p);
      p.onExit().thenRun(() -> SPAWNED.remove(p.pid()));
    } catch (IOException e) {
      throw CloudException.provider("cannot start the local agent: " + e.getMessage(), e);
    }
  }
}
