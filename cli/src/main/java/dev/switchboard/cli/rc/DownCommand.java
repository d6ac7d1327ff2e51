package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard down}: stops what {@code switchboard up} started. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stops the local topology started by 'switchboard up'.")
public final class DownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "State folder (default: ~/.local/state/switchboard/up).")
  Path stateDir;

  @Override
  public Integer call() throws Exception {
    Path dir = stateDir != null ? stateDir : UpState.defaultDir();
    JsonNode s = UpState.running(dir);
    long pid = s.path("pid").asLong();
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroy();
    try {
      p.onExit().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new CliException(ExitCodes.RUNTIME, "pid " + pid + " did not stop within 20 s; killed it");
    }
    spec.commandLine().getOut().println("stopped the local topology (pid " + pid + ")");
    return ExitCodes.OK;
  }
}
