package dev.switchboard.cloud.local;

import static dev.switchboard.cloud.testing.Net.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks run as processes: where a relative task is found, what {@code run} says of a task that
 * exits at once, and that neither the agent nor anything a task started outlives its state.
 */
class LocalLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<Long> pids = new ArrayList<>();
  private LocalProvider provider;

  private Cloud cloud(Path workDir, Duration startCheck) {
    provider =
        new LocalProvider(
            dir.resolve("state"),
            LocalProvider.Options.defaults()
                .withProbeInterval(Duration.ofMillis(300))
                .withContainerEngine("none")
                .withWorkDir(workDir)
                .withStartCheck(startCheck));
    return new Cloud(provider, dir.resolve("state"));
  }

  @AfterEach
  void killLeftovers() {
    if (provider != null) {
      provider.agentPid().ifPresent(pids::add);
      pids.addAll(provider.taskPids());
    }
    pids.addAll(childPids());
    pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
  }

  private static RunSpec spec(String name, String task) {
    return new RunSpec(name, "img", task, false, List.of(), false, RestartPolicy.ALWAYS);
  }

  /** A task that backgrounds a long sleep, records its pid in {@code children}, then runs on. */
  private String backgrounding(String then) {
    return "sleep 300 & echo $! >> " + dir.resolve("children") + "; " + then;
  }

  private List<Long> childPids() {
    Path f = dir.resolve("children");
    try {
      if (!Files.exists(f)) {
        return List.of();
      }
      return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<Boolean> allDead(List<Long> list) {
    return list.stream()
            .noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
        ? Optional.of(true)
        : Optional.empty();
  }

  @Test
  void aRelativeTaskIsFoundWhereRunWasCalledAndAMissingOneFailsRun() throws Exception {
    Path caller = Files.createDirectories(dir.resolve("caller"));
    Path script = caller.resolve("echo.sh");
    Files.writeString(script, "#!/bin/sh\necho started in $(pwd)\nexec sleep 300\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    Cloud cloud = cloud(caller, Duration.ofSeconds(2));
    ContainerGroup g = cloud.run(spec("echo", "./echo.sh"));
    assertThat(g.state()).isEqualTo("Running");
    assertThat(g.status().runsAs()).isEqualTo("process");
    pids.add(provider.taskPid("echo").orElseThrow());

    Cloud elsewhere =
        cloud(Files.createDirectories(dir.resolve("elsewhere")), Duration.ofSeconds(2));
    assertThatThrownBy(() -> elsewhere.run(spec("echo2", "./echo.sh")))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PROVIDER))
        .hasMessageStartingWith("run echo2: its task exited at once with code 127")
        .hasMessageContaining("in " + dir.resolve("elsewhere"))
        .hasMessageContaining("./echo.sh");
    assertThat(elsewhere.listGroups()).extracting(ContainerGroup::name).containsExactly("echo");
    assertThat(Files.readString(dir.resolve("state/local/logs/echo.log")))
        .contains("started in " + caller.toRealPath());

    elsewhere.removeGroup("echo");
    assertThat(provider.agentPid()).isEmpty();
  }

  @Test
  void aOneOffJobThatSucceedsIsNotAFailure() {
    Cloud cloud = cloud(dir, Duration.ofSeconds(2));
    ContainerGroup g =
        cloud.run(
            new RunSpec("job", "img", "echo done", false, List.of(), false, RestartPolicy.NEVER));
    assertThat(g.name()).isEqualTo("job");
    await(
        "terminated",
        WAIT,
        () -> cloud.listGroups().stream().filter(x -> x.state().equals("Terminated")).findFirst());
    assertThat(cloud.listGroups().get(0).status().lastError()).isEqualTo("done");
    cloud.removeGroup("job");
  }

  @Test
  void stoppingOrRestartingATaskTakesWhatItPutInTheBackground() throws Exception {
    Cloud cloud = cloud(dir, Duration.ofSeconds(2));
    cloud.run(spec("bg", backgrounding("exec sleep 300")));
    long first = provider.taskPid("bg").orElseThrow();
    List<Long> before =
        await("child", WAIT, () -> Optional.of(childPids()).filter(l -> l.size() == 1));

    // A crash: the restart must not leave the old child behind (it was re-parented, not killed).
    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    await("old child gone", WAIT, () -> allDead(before));
    await("restarted", WAIT, () -> provider.taskPid("bg").filter(p -> p != first));
    List<Long> after =
        await("new child", WAIT, () -> Optional.of(childPids()).filter(l -> l.size() == 2));

    cloud.removeGroup("bg");
    // Signals are delivered asynchronously: a killed process may run for a moment yet.
    await("children gone", WAIT, () -> allDead(after));
  }

  @Test
  void rmRacingTheRestartsOfACrashLoopingTaskLeavesNothingRunning() throws Exception {
    // No start check: the point is a task that crashes at once, again and again.
    Cloud cloud = cloud(dir, Duration.ZERO);
    for (int round = 0; round < 4; round++) {
      String name = "loop" + round;
      cloud.run(spec(name, backgrounding("exit 1")));
      int restarts = round;
      await(
          "restarts",
          WAIT,
          () -> cloud.listGroups().stream().filter(g -> g.restartCount() >= restarts).findFirst());
      cloud.removeGroup(name);
      List<Long> children = childPids();
      await("children gone after round " + round, WAIT, () -> allDead(children));
    }
    assertThat(provider.agentPid()).isEmpty();
  }

  @Test
  void theAgentStopsItsTasksAndExitsWhenItsStateFolderIsDeleted() throws Exception {
    Cloud cloud = cloud(dir, Duration.ofSeconds(2));
    cloud.run(spec("svc", backgrounding("exec sleep 300")));
    long agent = provider.agentPid().orElseThrow();
    long task = provider.taskPid("svc").orElseThrow();
    pids.addAll(List.of(agent, task));
    List<Long> children =
        await("child", WAIT, () -> Optional.of(childPids()).filter(l -> !l.isEmpty()));

    Path state = dir.resolve("state");
    await("state deleted", WAIT, () -> deleteTree(state));
    await("agent and task gone", WAIT, () -> allDead(List.of(agent, task)));
    await("children gone", WAIT, () -> allDead(children));
    assertThat(state).doesNotExist();
  }

  @Test
  void theAgentExitsByItselfOnceNothingNeedsIt() throws Exception {
    Cloud cloud = cloud(dir, Duration.ofSeconds(2));
    // No load balancer: this test binds no fixed address, so it needs no lock across builds.
    cloud.createIp("voip", false, false);
    cloud.run(spec("svc", backgrounding("exec sleep 300")));
    long agent = provider.agentPid().orElseThrow();
    long task = provider.taskPid("svc").orElseThrow();
    pids.addAll(List.of(agent, task));

    // A CLI that removed the group and the last IP, then died before it could stop the agent.
    StateStore store = new StateStore(dir.resolve("state/local"));
    store.update(
        s -> {
          s.groups.clear();
          s.ips.clear();
          s.generation++;
          return null;
        });
    await("agent and task gone", WAIT, () -> allDead(List.of(agent, task)));
    List<Long> children = childPids();
    assertThat(children).isNotEmpty();
    await("children gone", WAIT, () -> allDead(children));
  }

  private static Optional<Boolean> deleteTree(Path root) {
    // The agent may write while we delete: try again until the folder is gone.
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Files.exists(root) ? Optional.empty() : Optional.of(true);
  }
}
