package dev.switchboard.cloud.local;

import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.RunSpec;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts a container group's task: in a container engine when the group has one (host network),
 * otherwise as {@code sh -c TASK} in the directory {@code run} was called from; either way as the
 * leader of a process group of its own, with its addresses and ports in {@code SWITCHBOARD_*}
 * variables and its output in {@code logs/NAME.log}.
 */
final class TaskLauncher {
  private static final int TAIL_BYTES = 8192;

  private final Path logDir;

  TaskLauncher(Path logDir) {
    this.logDir = logDir;
  }

  Path log(String group) {
    return logDir.resolve(group + ".log");
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

  /**
   * Starts the task; {@code engine} null runs it as a process in {@code workDir}, else in the
   * container {@code containerName}. The first start of a group begins a fresh log.
   */
  Process start(
      RunSpec spec,
      Map<String, String> env,
      boolean firstStart,
      ContainerEngine engine,
      String containerName,
      Path workDir) {
    List<String> cmd;
    if (engine != null) {
      cmd = engine.runCommand(spec.image(), spec.task(), containerName, env);
    } else if (spec.task() == null) {
      throw CloudException.invalid(
          "no container engine (docker or podman) is installed, so image "
              + spec.image()
              + " cannot run; give the command to run as a process with -t TASK");
    } else {
      cmd = List.of("sh", "-c", spec.task());
    }
    try {
      Files.createDirectories(logDir);
      File log = log(spec.name()).toFile();
      if (firstStart) {
        Files.deleteIfExists(log.toPath());
      }
      ProcessBuilder pb = new ProcessBuilder(ProcessTree.inOwnGroup(new ArrayList<>(cmd)));
      pb.environment().putAll(env);
      if (engine != null) {
        pb.environment().putAll(engine.engineEnv());
      } else if (workDir != null) {
        if (!Files.isDirectory(workDir)) {
          throw CloudException.provider(
              "cannot start the task of "
                  + spec.name()
                  + ": its directory "
                  + workDir
                  + " (where run was called) is gone",
              null);
        }
        pb.directory(workDir.toFile());
      }
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
      pb.redirectErrorStream(true);
      return pb.start();
    } catch (IOException e) {
      throw CloudException.provider(
          "cannot start the task of " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /** The last lines of a group's log (at most a few KiB), or empty if it has none. */
  List<String> tail(String group, int lines) {
    Path log = log(group);
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, f.length() - TAIL_BYTES);
      byte[] b = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(b);
      List<String> all =
          new String(b, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of();
    }
  }
}
