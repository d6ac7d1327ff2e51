package dev.switchboard.cli.lb;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lb reload}: applies a YAML file to a running load balancer without dropping connections.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description = "Apply a YAML config file to a running load balancer (PUT /config).")
final class LbReload implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "YAML config file; replaces the running rules and pools (docs/lb.md).")
  Path config;

  @Override
  public Integer call() {
    LbConfig cfg;
    String text;
    try {
      text = Files.readString(config);
      cfg = LbConfig.load(config);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.CONFIG, "config file not found: " + config);
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, "cannot read " + config + ": " + e.getMessage(), e);
    } catch (LbException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage(), e); // names the file and field
    }
    admin.client().send("PUT", "/config", text);
    spec.commandLine()
        .getOut()
        .println(
            "reloaded "
                + config
                + ": "
                + cfg.rules().size()
                + " rules, "
                + cfg.pools().size()
                + " pools");
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
