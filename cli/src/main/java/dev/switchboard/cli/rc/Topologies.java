package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.localnet.AddressPlan;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads a topology file, or the seed topology embedded in the jar when none is given. */
final class Topologies {
  static final String EMBEDDED = "topologies/seed-topology.yaml";

  private Topologies() {}

  /** The seed topology's YAML as shipped in the jar. */
  static String embeddedText() throws IOException {
    try (InputStream in = Topologies.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new CliException(ExitCodes.CONFIG, "embedded seed topology missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Topology load(Path file) {
    try {
      if (file == null) {
        return Topology.parse(EMBEDDED, embeddedText());
      }
      return Topology.load(file);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.CONFIG, "topology file not found: " + e.getFile());
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage());
    }
  }

  /**
   * As {@link #load}, for {@code up} and {@code demo}: also checks it fits the local address plan.
   */
  static Topology loadLocal(Path file) {
    Topology t = load(file);
    try {
      new AddressPlan(t, 0);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.CONFIG,
          (file == null ? EMBEDDED : file) + ": cannot run locally: " + e.getMessage());
    }
    return t;
  }
}
