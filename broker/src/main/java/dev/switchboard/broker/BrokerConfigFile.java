package dev.switchboard.broker;

import dev.switchboard.broker.internal.BrokerFile;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a broker's YAML configuration file (docs/configuration.md). Relative paths resolve against
 * the file's folder.
 */
public final class BrokerConfigFile {
  private BrokerConfigFile() {}

  /**
   * Loads and validates a config file.
   *
   * @throws ConfigException if the file cannot be read or a field is unknown, missing or invalid;
   *     the message names the file, the field and the reason
   */
  public static BrokerConfig load(Path file) throws IOException {
    return ConfigMapper.read(file, BrokerFile.class).toConfig(file.toAbsolutePath().getParent());
  }
}
