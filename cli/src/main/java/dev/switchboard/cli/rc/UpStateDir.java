package dev.switchboard.cli.rc;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --state-dir} option that {@code up}, {@code down} and {@code status} share. */
public final class UpStateDir {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "State folder (default: $SWITCHBOARD_STATE_DIR, else $XDG_STATE_HOME/switchboard/up,"
              + " else $HOME/.local/state/switchboard/up).")
  Path stateDir;

  /** The folder given, or the default one. */
  Path resolve() {
    return stateDir != null ? stateDir : UpState.defaultDir();
  }
}
