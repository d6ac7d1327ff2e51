package dev.switchboard.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The IP {@code ip select} chose for a provider, kept in {@code
 * <state-dir>/<provider>/selected-ip}.
 */
public final class Selection {
  private final Path file;

  public Selection(Path stateDir, String provider) {
    this.file = stateDir.resolve(provider).resolve("selected-ip");
  }

  public Optional<String> get() {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      String s = Files.readString(file, StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void set(String name) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("selected-ip.tmp");
      Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void clear() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
