package dev.switchboard.cloud.local;

import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.RunSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts a container group's task: in a container engine when one is installed (docker or podman,
 * host network), otherwise as {@code sh -c TASK}; either way with its addresses and ports in {@code
 * SWITCHBOARD_*} variables.
 */
final class TaskLauncher {
  private final Path logDir;

  TaskLauncher(Path logDir) {
    this.logDir = logDir;
  }

  /**
   * The engine a setting names: {@code none}, {@code docker}, {@code podman}, or {@code auto} (see
   * below).
   */
  static Optional<String> resolveEngine(String setting, Map<String, String> env) {
    if (setting == null || setting.equals("auto")) {
      return detectEngine(env);
    }
    if (!List.of("none", "docker", "podman").contains(setting)) {
      throw CloudException.invalid(
          "--container-engine must be auto, none, docker or podman, got '" + setting + "'");
    }
    return setting.equals("none") ? Optional.empty() : Optional.of(setting);
  }

  /**
   * The engine named by {@code SWITCHBOARD_CONTAINER_ENGINE} ({@code none} for none), else docker
   * or podman on PATH whose daemon answers {@code ENGINE info}.
   */
  static Optional<String> detectEngine(Map<String, String> env) {
    String forced = env.get("SWITCHBOARD_CONTAINER_ENGINE");
    if (forced != null && !forced.isBlank()) {
      return "none".equals(forced) ? Optional.empty() : Optional.of(forced);
    }
    String path = env.getOrDefault("PATH", "");
    for (String name : List.of("docker", "podman")) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name)) && answers(name)) {
          return Optional.of(name);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean answers(String engine) {
    try {
      Process p =
          new ProcessBuilder(engine, "info")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The variables a task sees; {@code publicAddress} is where clients reach it. */
  static Map<String, String> environment(
      RunSpec spec, String bindAddress, String publicAddress, int healthPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SWITCHBOARD_GROUP", spec.name());
    env.put("SWITCHBOARD_IMAGE", spec.image());
    env.put("SWITCHBOARD_BIND_IP", bindAddress);
    env.put(
        "SWITCHBOARD_PORTS",
        spec.ports().stream().map(ExposedPort::toString).collect(Collectors.joining(" ")));
    if (healthPort > 0) {
      env.put("SWITCHBOARD_HEALTH_PORT", Integer.toString(healthPort));
    }
    if (publicAddress != null) {
      env.put("SWITCHBOARD_PUBLIC_IP", publicAddress);
    }
    return env;
  }

  Process start(RunSpec spec, Map<String, String> env, int startNumber, Optional<String> engine) {
    List<String> cmd = new ArrayList<>();
    if (engine.isPresent()) {
      cmd.addAll(List.of(engine.get(), "run", "--rm", "--network=host"));
      cmd.addAll(List.of("--name", "switchboard-" + spec.name() + "-" + startNumber));
      env.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
      cmd.add(spec.image());
      if (spec.task() != null) {
        cmd.addAll(List.of("sh", "-c", spec.task()));
      }
    } else {
      if (spec.task() == null) {
        throw CloudException.invalid(
            "no container engine (docker or podman) is installed, so image "
                + spec.image()
                + " cannot run; give the command to run as a process with -t TASK");
      }
      cmd.addAll(List.of("sh", "-c", spec.task()));
    }
    try {
      Files.createDirectories(logDir);
      File log = logDir.resolve(spec.name() + ".log").toFile();
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
      pb.redirectErrorStream(true);
      return pb.start();
    } catch (IOException e) {
      throw CloudException.provider(
          "cannot start the task of " + spec.name() + ": " + e.getMessage(), e);
    }
  }
}
