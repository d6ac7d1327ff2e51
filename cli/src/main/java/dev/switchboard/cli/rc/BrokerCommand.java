package dev.switchboard.cli.rc;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.BrokerConfigFile;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Signals;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard broker --config FILE}: runs one broker until stopped (SIGTERM drains). */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    header = "Run a broker until stopped; SIGTERM drains it.",
    description =
        "Runs a broker. SIGTERM/Ctrl-C drains: no new sessions, running ones get --drain-deadline."
            + " SIGHUP re-reads tls.cert, tls.key and tls.ca for new client connections.")
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Broker YAML (docs/configuration.md).")
  Path config;

  @Option(
      names = "--drain-deadline",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "How long running sessions may continue after SIGTERM (default ${DEFAULT-VALUE}).")
  String drainDeadline;

  @Override
  public Integer call() throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    Duration deadline;
    try {
      deadline =
          Durations.parse("--drain-deadline", drainDeadline, BrokerConfig.MAX_DRAIN_DEADLINE);
    } catch (ConfigException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    Broker b;
    try {
      b = Broker.start(BrokerConfigFile.load(config));
    } catch (ConfigException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage()); // names the file and the field
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            "broker %s: clients %s:%d (mTLS), admin http://%s:%d/%n",
            b.id(),
            b.clientAddress().getHostString(),
            b.clientPort(),
            b.adminAddress().getHostString(),
            b.adminPort());
    spec.commandLine().getOut().flush();
    Signals.onHangup(() -> reloadCertificate(b));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  b.drainAndClose(deadline);
                  stopped.countDown();
                }));
    stopped.await();
    return ExitCodes.OK;
  }

  /** SIGHUP: a certificate that does not load is reported and the running one kept. */
  private void reloadCertificate(Broker b) {
    try {
      b.reloadCertificate();
    } catch (IOException | RuntimeException e) {
      spec.commandLine()
          .getErr()
          .printf(
              "broker: certificate reload failed, the running one is kept: %s%n", e.getMessage());
      spec.commandLine().getErr().flush();
    }
  }
}
