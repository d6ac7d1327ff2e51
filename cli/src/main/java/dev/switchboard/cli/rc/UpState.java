package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Home;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/** Where {@code switchboard up} keeps its state: {@code up.json}, the PKI, the log. */
final class UpState {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String STARTED = "started";

  private UpState() {}

  /**
   * $SWITCHBOARD_STATE_DIR, else $XDG_STATE_HOME/switchboard/up, else
   * $HOME/.local/state/switchboard/up.
   */
  static Path defaultDir() {
    String explicit = System.getenv("SWITCHBOARD_STATE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base =
        xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(Home.dir(), ".local", "state");
    return base.resolve("switchboard").resolve("up");
  }

  static Path file(Path dir) {
    return dir.resolve("up.json");
  }

  static Optional<JsonNode> read(Path dir) {
    Path f = file(dir);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(f.toFile()));
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, "cannot read " + f + ": " + e.getMessage());
    }
  }

  static void write(Path dir, JsonNode state) throws IOException {
    Path tmp = dir.resolve("up.json.tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
    Files.move(tmp, file(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** This process's start time, recorded in {@code up.json} as {@value #STARTED}. */
  static String startedHere() {
    return ProcessHandle.current().info().startInstant().map(Instant::toString).orElse("");
  }

  /**
   * Whether {@code p}, the live process with the pid in {@code state}, is the one that wrote it:
   * the same start time (a recycled pid has another), or for a file without one, an {@code up
   * --foreground} command line.
   */
  static boolean isOurs(JsonNode state, ProcessHandle p) {
    String recorded = state.path(STARTED).asText("");
    if (!recorded.isEmpty()) {
      return p.info().startInstant().map(i -> i.toString().equals(recorded)).orElse(false);
    }
    return p.info().commandLine().map(c -> c.contains(" up --foreground")).orElse(false);
  }

  /**
   * The running topology's state, or a one-line error: exit 1 if nothing runs, exit 3 if the pid in
   * the file now belongs to another process (the file is stale; nothing is signalled or removed).
   */
  static JsonNode running(Path dir) {
    JsonNode s =
        read(dir)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCodes.RUNTIME,
                        "no local topology is running (no "
                            + file(dir)
                            + "); start one with: switchboard up --topology FILE"));
    long pid = s.path("pid").asLong();
    Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (p.isPresent() && isOurs(s, p.get())) {
      return s;
    }
    if (p.isPresent()) {
      throw new CliException(
          ExitCodes.CONFIG,
          file(dir)
              + " is stale: pid "
              + pid
              + " is now another process ("
              + p.get().info().command().orElse("unknown command")
              + "), not the local topology; left it alone, remove the file");
    }
    throw new CliException(
        ExitCodes.RUNTIME,
        "the local topology (pid "
            + pid
            + ") is not running any more; "
            + "see "
            + dir.resolve("up.log")
            + " and remove "
            + file(dir));
  }
}
