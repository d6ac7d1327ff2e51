package dev.switchboard.cloud.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A task's processes: each task leads a process group of its own ({@code setsid}), so what it puts
 * in the background goes with it even after it was re-parented, which {@link
 * ProcessHandle#descendants()} no longer shows.
 */
final class ProcessTree {
  private static final String SETSID = "/usr/bin/setsid";
  private static final String KILL = "/usr/bin/kill";

  private ProcessTree() {}

  /**
   * {@code cmd} run as the leader of a new session and process group. A child of the JVM is no
   * group leader, so setsid execs in place and the pid stays the one Java reports.
   */
  static List<String> inOwnGroup(List<String> cmd) {
    if (!new File(SETSID).canExecute()) {
      return cmd;
    }
    List<String> out = new ArrayList<>();
    out.add(SETSID);
    out.addAll(cmd);
    return out;
  }

  /**
   * Signals every process of the group {@code pgid} leads ({@code force}: SIGKILL, else SIGTERM).
   */
  static void signalGroup(long pgid, boolean force) {
    if (pgid <= 1 || !new File(KILL).canExecute()) {
      return;
    }
    try {
      Process p =
          new ProcessBuilder(KILL, "-s", force ? "KILL" : "TERM", "--", "-" + pgid)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // No kill(1): the descendants snapshot is all there is.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops a task's whole tree: SIGTERM to its group and descendants, SIGKILL to what is left after
   * {@code graceSeconds}; returns once the leader is gone.
   */
  static void stop(ProcessHandle leader, List<ProcessHandle> family, int graceSeconds) {
    List<ProcessHandle> all = new ArrayList<>(family);
    leader.descendants().forEach(all::add);
    signalGroup(leader.pid(), false);
    all.forEach(ProcessHandle::destroy);
    leader.destroy();
    try {
      leader.onExit().get(graceSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Still there after the grace period: killed below.
    }
    kill(leader, all);
  }

  /** SIGKILL to the group {@code leader} led, its descendants and {@code family}. */
  static void kill(ProcessHandle leader, List<ProcessHandle> family) {
    List<ProcessHandle> all = new ArrayList<>(family);
    leader.descendants().forEach(all::add);
    signalGroup(leader.pid(), true);
    all.stream().filter(h -> running(h.pid())).forEach(ProcessHandle::destroyForcibly);
    leader.destroyForcibly();
    if (leader.parent().map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false)) {
      // Only a child of ours is reaped here; waiting on anyone else's could wait on a zombie.
      try {
        leader.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // A process in uninterruptible sleep: nothing more can be done from here.
      }
    }
  }

  /**
   * Whether {@code pid} runs: a zombie does not. {@link ProcessHandle#isAlive()} says yes to one,
   * and where PID 1 never reaps (some container and VM inits) a killed orphan stays one for good.
   */
  static boolean running(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String s = Files.readString(stat);
      // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
      int close = s.lastIndexOf(')');
      char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
      return state != 'Z' && state != 'X' && state != 'x';
    } catch (IOException e) {
      return false;
    }
  }

  /** The process {@code pid} if it is the one that started at {@code startMillis}. */
  static Optional<ProcessHandle> same(Long pid, Long startMillis) {
    if (pid == null || startMillis == null) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(h -> running(h.pid()))
        .filter(
            h -> h.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(false));
  }
}
