package dev.switchboard.cloud.local;

import dev.switchboard.cloud.CloudException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How the local provider drives docker or podman: the command lines of {@code run}, {@code rm} and
 * image checks, with podman set up so it works without a hand-written containers.conf.
 */
final class ContainerEngine {
  static final String LABEL = "dev.switchboard.state";

  /**
   * Written to {@code <state>/local/containers.conf} for podman unless {@code CONTAINERS_CONF} is
   * set: podman's default rlimits (nofile 1048576) cannot be set where the hard limit is lower, and
   * the systemd cgroup manager needs a systemd that containers and CI machines lack.
   */
  static final String PODMAN_CONF =
      "# Written by switchboard (local provider); see docs/cloud.md.\n"
          + "[containers]\n"
          + "default_ulimits = []\n\n"
          + "[engine]\n"
          + "cgroup_manager = \"cgroupfs\"\n";

  private static final List<String> RUNC = List.of("/usr/sbin/runc", "/usr/bin/runc");

  private final String name;
  private final Path stateDir;
  private final Map<String, String> env;

  private ContainerEngine(String name, Path stateDir, Map<String, String> env) {
    this.name = name;
    this.stateDir = stateDir;
    this.env = env;
  }

  /**
   * The engine a setting names: {@code none}, {@code docker}, {@code podman}, or {@code auto}: the
   * one in {@code SWITCHBOARD_CONTAINER_ENGINE}, else docker or podman on PATH that answers {@code
   * ENGINE info}.
   */
  static Optional<ContainerEngine> resolve(String setting, Path stateDir, Map<String, String> env) {
    if (setting == null || setting.equals("auto")) {
      String forced = env.get("SWITCHBOARD_CONTAINER_ENGINE");
      if (forced != null && !forced.isBlank() && !forced.equals("auto")) {
        return resolve(forced, stateDir, env);
      }
      return detect(stateDir, env);
    }
    if (!List.of("none", "docker", "podman").contains(setting)) {
      throw CloudException.invalid(
          "--container-engine must be auto, none, docker or podman, got '" + setting + "'");
    }
    return setting.equals("none")
        ? Optional.empty()
        : Optional.of(new ContainerEngine(setting, stateDir, env));
  }

  private static Optional<ContainerEngine> detect(Path stateDir, Map<String, String> env) {
    for (String name : List.of("docker", "podman")) {
      if (onPath(name, env)) {
        ContainerEngine e = new ContainerEngine(name, stateDir, env);
        if (e.call(List.of("info"), 10).code() == 0) {
          return Optional.of(e);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean onPath(String name, Map<String, String> env) {
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  String name() {
    return name;
  }

  /** Names containers of this state directory apart from those of another one on this host. */
  static String stateId(Path stateDir) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(stateDir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String containerName(String group, int startNumber) {
    return "switchboard-" + stateId(stateDir) + "-" + group + "-" + startNumber;
  }

  /**
   * The command that runs {@code image} in the foreground on the host network (the task binds its
   * private loopback address itself), never pulling: {@link #ensureImage} did that before.
   */
  List<String> runCommand(
      String image, String task, String containerName, Map<String, String> taskEnv) {
    List<String> cmd = new ArrayList<>(base());
    cmd.addAll(List.of("run", "--rm", "--pull=never", "--network=host"));
    cmd.addAll(List.of("--name", containerName, "--label", LABEL + "=" + stateId(stateDir)));
    taskEnv.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
    cmd.add(image);
    if (task != null) {
      cmd.addAll(List.of("sh", "-c", task));
    }
    return cmd;
  }

  /**
   * Variables the engine's own processes need: podman's containers.conf, written into the state
   * directory while it exists (a deleted one is never brought back; podman's defaults then serve to
   * stop and remove containers).
   */
  Map<String, String> engineEnv() {
    if (!name.equals("podman") || env.containsKey("CONTAINERS_CONF")) {
      return Map.of();
    }
    Path conf = stateDir.resolve("containers.conf");
    try {
      if (!Files.isDirectory(stateDir)) {
        return Map.of();
      }
      if (!Files.exists(conf) || !Files.readString(conf).equals(PODMAN_CONF)) {
        Path tmp = stateDir.resolve("containers.conf.tmp");
        Files.writeString(tmp, PODMAN_CONF);
        Files.move(tmp, conf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      return Map.of();
    }
    return Map.of("CONTAINERS_CONF", conf.toString());
  }

  /**
   * Makes sure {@code image} is there, pulling it if not; fails with the engine's own reason.
   * Refuses names that the engine would read as an option.
   */
  void ensureImage(String image) {
    if (image.startsWith("-")) {
      throw CloudException.invalid("image name must not start with '-', got '" + image + "'");
    }
    List<String> exists =
        name.equals("podman")
            ? List.of("image", "exists", image)
            : List.of("image", "inspect", image);
    if (call(exists, 30).code() == 0) {
      return;
    }
    Result pull = call(List.of("pull", image), 600);
    if (pull.code() != 0) {
      throw CloudException.provider(
          name + " cannot find or pull image " + image + ": " + lastLine(pull.output()), null);
    }
  }

  /** Stops a container (SIGTERM, SIGKILL after 3 s) and removes it; an absent one is fine. */
  void remove(String containerName) {
    call(List.of("stop", "-t", "3", containerName), 30);
    call(List.of("rm", "-f", containerName), 30);
  }

  /** Removes every container this state directory started, e.g. those of a killed agent. */
  void removeAll() {
    Result ps =
        call(List.of("ps", "-a", "-q", "--filter", "label=" + LABEL + "=" + stateId(stateDir)), 30);
    if (ps.code() != 0) {
      return;
    }
    for (String id : ps.output().split("\\s+")) {
      if (!id.isBlank()) {
        call(List.of("rm", "-f", id), 30);
      }
    }
  }

  private List<String> base() {
    List<String> cmd = new ArrayList<>(List.of(name));
    if (name.equals("podman") && RUNC.stream().anyMatch(p -> Files.isExecutable(Path.of(p)))) {
      // crun, podman's default where installed, fails in some containers and CI machines; runc
      // works there and everywhere else podman runs.
      cmd.addAll(List.of("--runtime", "runc"));
    }
    return cmd;
  }

  record Result(int code, String output) {}

  private Result call(List<String> args, int timeoutSeconds) {
    List<String> cmd = new ArrayList<>(base());
    cmd.addAll(args);
    Path out = null;
    try {
      // A file, not a pipe: a hung engine must not block the read past the timeout.
      out = Files.createTempFile("switchboard-engine", ".out");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(out.toFile());
      pb.environment().putAll(engineEnv());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return new Result(-1, name + " " + args.get(0) + " did not finish in time");
      }
      return new Result(
          p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // A temp file left behind is harmless.
        }
      }
    }
  }

  static String lastLine(String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).trim();
  }
}
