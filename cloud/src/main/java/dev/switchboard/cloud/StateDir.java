package dev.switchboard.cloud;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where state lives by default: {@code $XDG_CONFIG_HOME/switchboard}, else {@code
 * ~/.config/switchboard}.
 */
public final class StateDir {
  private StateDir() {}

  public static Path defaultDir(Map<String, String> env, String userHome) {
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "switchboard");
    }
    return Path.of(userHome, ".config", "switchboard");
  }

  public static Path defaultDir() {
    return defaultDir(System.getenv(), System.getProperty("user.home"));
  }
}
