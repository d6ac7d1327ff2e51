package dev.switchboard.cloud.local;

import dev.switchboard.cloud.CloudException;
import dev.switchboard.time.Sleeper;
import dev.switchboard.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Watches a group's first start for a while, so {@code run} reports a task that exits at once (a
 * script that is not found, an image whose command fails) with its output instead of "Running".
 */
final class StartCheck {
  private static final Duration POLL = Duration.ofMillis(50);

  private final StateStore store;
  private final TaskLauncher logs;
  private final Ticker ticker;
  private final Sleeper sleeper;

  StartCheck(StateStore store, TaskLauncher logs, Ticker ticker, Sleeper sleeper) {
    this.store = store;
    this.logs = logs;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * Why the group's task failed within {@code grace} of its start, or empty if it still runs (or
   * finished with exit code 0 and a policy that does not restart it: a one-off job).
   */
  Optional<String> failure(String group, Duration grace) {
    long start = ticker.nanoTime();
    while (true) {
      GroupRecord g = store.read().groups.get(group);
      if (g == null) {
        return Optional.empty();
      }
      if (g.lastExitCode != null) {
        boolean done = g.lastExitCode == 0 && !g.spec.restartPolicy().restarts(0);
        return done ? Optional.empty() : Optional.of(describe(g));
      }
      if (ticker.nanoTime() - start >= grace.toNanos()) {
        return Optional.empty();
      }
      try {
        sleeper.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CloudException.provider("interrupted while watching the start of " + group, e);
      }
    }
  }

  /** One line: the exit code, where it ran, its last output line and where the rest is. */
  private String describe(GroupRecord g) {
    List<String> out = logs.tail(g.spec.name(), 1);
    StringBuilder b =
        new StringBuilder("its task exited at once with code ").append(g.lastExitCode);
    b.append(g.engine == null ? " (run as a process" : " (run in " + g.engine);
    if (g.engine == null && g.workDir != null) {
      b.append(" in ").append(g.workDir);
    }
    b.append(out.isEmpty() ? ") and printed nothing" : "): " + out.get(0).strip());
    return b.append(" (its output: ").append(logs.log(g.spec.name())).append(")").toString();
  }
}
