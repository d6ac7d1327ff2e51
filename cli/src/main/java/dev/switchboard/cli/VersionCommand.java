package dev.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard version}: the same line as {@code --version}, for scripts and bug reports. */
@Command(name = "version", description = "Print the version, git commit and build time.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(new BuildInfo().line());
    return 0;
  }
}
