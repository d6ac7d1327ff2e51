package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Durations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard down}: stops what {@code switchboard up} started, or drains one broker of it.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    header = "Stop the local topology, or drain one of its brokers.",
    description = {
      "Stops the local topology started by 'switchboard up'; with --broker, drains just that broker:",
      "no new sessions, running ones get --drain-deadline, then it leaves its regional pool and"
          + " stops."
    })
public final class DownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--broker", paramLabel = "ID", description = "Drain and stop only this broker.")
  String broker;

  @Option(
      names = "--drain-deadline",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "With --broker: how long running sessions may continue (default ${DEFAULT-VALUE}).")
  String deadline;

  // The name before issue 11; `broker` always said --drain-deadline.
  @Option(names = "--deadline", paramLabel = "DURATION", hidden = true)
  String deadlineAlias;

  @Mixin UpStateDir state;

  @Override
  public Integer call() throws Exception {
    try { // a usage error before looking for the topology
      if (deadlineAlias != null) {
        deadline = deadlineAlias;
      }
      Durations.parse(
          deadlineAlias != null ? "--deadline" : "--drain-deadline",
          deadline,
          BrokerConfig.MAX_DRAIN_DEADLINE);
    } catch (ConfigException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    Path dir = state.resolve();
    JsonNode s = UpState.running(dir);
    if (broker != null) {
      return drain(s);
    }
    long pid = s.path("pid").asLong();
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroy();
    try {
      p.onExit().get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      p.destroyForcibly();
      throw new CliException(
          ExitCodes.RUNTIME, "pid " + pid + " did not stop within 20 s; killed it");
    }
    spec.commandLine().getOut().println("stopped the local topology (pid " + pid + ")");
    return ExitCodes.OK;
  }

  private int drain(JsonNode s) throws Exception {
    var http = HttpClient.newHttpClient();
    var req =
        HttpRequest.newBuilder(
                URI.create(
                    "http://"
                        + s.path("control").asText()
                        + "/brokers/"
                        + broker
                        + "/drain?deadline="
                        + deadline))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    var res = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() == 404) {
      throw new CliException(
          ExitCodes.USAGE, "no running broker '" + broker + "' in the local topology");
    }
    if (res.statusCode() != 200) {
      throw new CliException(ExitCodes.RUNTIME, "drain failed: " + res.body());
    }
    spec.commandLine()
        .getOut()
        .println("drained and stopped " + broker + " (it left its regional pool)");
    return ExitCodes.OK;
  }
}
