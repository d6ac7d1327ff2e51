package dev.switchboard.cloud.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.cloud.CloudException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The local provider's embedded store: one JSON file, changed only under an exclusive file lock
 * (the CLI and the agent are separate processes) and replaced atomically, so a reader never sees
 * half a write.
 */
final class StateStore {
  /**
   * A file lock belongs to the whole JVM (a second {@code lock()} from it throws), so threads of
   * one JVM take this lock first.
   */
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path dir;
  private final Path file;
  private final Path lock;

  StateStore(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("state.json");
    this.lock = dir.resolve("state.lock");
  }

  Path dir() {
    return dir;
  }

  Path file() {
    return file;
  }

  /** The current state, read under the lock. */
  LocalState read() {
    if (!Files.exists(dir)) {
      return new LocalState();
    }
    return locked(
        () -> {
          LocalState s = load();
          return s;
        });
  }

  /**
   * Runs {@code change} on the current state under the lock and writes the state back; returns its
   * result.
   */
  <T> T update(Function<LocalState, T> change) {
    return locked(
        () -> {
          LocalState state = load();
          T result = change.apply(state);
          save(state);
          return result;
        });
  }

  /**
   * Like {@link #update} while the state file exists; empty, creating nothing, once it (or its
   * directory) was deleted: the agent must not bring back a state its user removed.
   */
  <T> Optional<T> updateIfPresent(Function<LocalState, T> change) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return lockedIn(
          false,
          () -> {
            if (!Files.exists(file)) {
              return Optional.empty();
            }
            LocalState state = load();
            T result = change.apply(state);
            save(state);
            return Optional.of(result);
          });
    } catch (CloudException e) {
      if (!Files.isDirectory(dir)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private interface Body<T> {
    T run() throws IOException;
  }

  private <T> T locked(Body<T> body) {
    return lockedIn(true, body);
  }

  private <T> T lockedIn(boolean create, Body<T> body) {
    ReentrantLock jvmLock =
        JVM_LOCKS.computeIfAbsent(lock.toAbsolutePath().normalize(), p -> new ReentrantLock());
    jvmLock.lock();
    try {
      if (create) {
        Files.createDirectories(dir);
      }
      try (FileChannel ch =
              FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        return body.run();
      }
    } catch (IOException e) {
      throw CloudException.provider(
          "cannot use the local state in " + dir + ": " + e.getMessage(), e);
    } finally {
      jvmLock.unlock();
    }
  }

  private LocalState load() throws IOException {
    if (!Files.exists(file)) {
      return new LocalState();
    }
    return JSON.readValue(file.toFile(), LocalState.class);
  }

  private void save(LocalState state) throws IOException {
    if (state.empty() && state.agentPid == null) {
      // Nothing is left: leave no state behind (ip rm of the last resource).
      Files.deleteIfExists(file);
      return;
    }
    Path tmp = dir.resolve("state.json.tmp");
    JSON.writeValue(tmp.toFile(), state);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
