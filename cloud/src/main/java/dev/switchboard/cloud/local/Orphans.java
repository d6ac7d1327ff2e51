package dev.switchboard.cloud.local;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stops tasks that no agent supervises any more: those of an agent that died, found by the pid and
 * start time in their records (so a reused pid is never hit) and by the container label of the
 * state directory.
 */
final class Orphans {
  private Orphans() {}

  /**
   * Kills the recorded task of each group with its process group and container, and clears the
   * records' pids; {@code everyContainer} also removes every other container of the state directory
   * (a new agent starts afresh).
   */
  static void reap(Collection<GroupRecord> groups, Path stateDir, boolean everyContainer) {
    Set<String> engines = new TreeSet<>();
    for (GroupRecord g : groups) {
      ProcessTree.same(g.pid, g.pidStartMillis).ifPresent(h -> ProcessTree.kill(h, List.of()));
      if (g.engine != null) {
        engines.add(g.engine);
        if (g.containerName != null && !everyContainer) {
          engine(g.engine, stateDir).remove(g.containerName);
        }
      }
      g.pid = null;
      g.pidStartMillis = null;
      g.containerName = null;
    }
    if (everyContainer) {
      engines.forEach(e -> engine(e, stateDir).removeAll());
    }
  }

  private static ContainerEngine engine(String name, Path stateDir) {
    return ContainerEngine.resolve(name, stateDir, System.getenv()).orElseThrow();
  }
}
