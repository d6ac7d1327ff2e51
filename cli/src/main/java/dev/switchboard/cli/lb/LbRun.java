package dev.switchboard.cli.lb;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Signals;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.lb.RuleConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lb run}: runs a load balancer from a YAML file until interrupted. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Run a load balancer from a YAML file (SIGHUP re-reads it).",
    description =
        "Runs a load balancer until Ctrl-C or SIGTERM. SIGHUP re-reads the file and applies it"
            + " as `lb reload` does; a file that does not load keeps the running config.")
final class LbRun implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "YAML config file.")
  Path config;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Event-loop threads (default: one per core).")
  int threads;

  @Override
  public Integer call() {
    LbConfig cfg;
    try {
      cfg = LbConfig.load(config);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.CONFIG, "config file not found: " + config);
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, "cannot read " + config + ": " + e.getMessage(), e);
    } catch (LbException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage(), e); // names the file and field
    }
    LoadBalancer lb;
    try {
      lb =
          LoadBalancer.start(
              cfg, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    } catch (LbException e) { // a port in use too: 3 from every command (docs/operations.md)
      throw new CliException(ExitCodes.CONFIG, e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              lb.close();
              stopped.countDown();
            },
            "lb-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.onHangup(() -> reload(lb));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "lb: admin API on http://"
            + cfg.adminAddress()
            + ":"
            + lb.adminPort()
            + " (token file "
            + cfg.adminTokenFile()
            + ")");
    for (RuleConfig r : cfg.rules()) {
      out.println(
          "lb: rule "
              + r.name()
              + " "
              + r.protocol().wireName()
              + " "
              + lb.address(r.name()).getHostString()
              + ":"
              + lb.port(r.name())
              + " -> pool "
              + r.pool()
              + " port "
              + r.backendPort());
    }
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Close before restoring the interrupt flag: closing waits for the control thread.
      Runtime.getRuntime().removeShutdownHook(hook);
      lb.close();
      Thread.currentThread().interrupt();
    }
    out.println("lb: stopped");
    out.flush();
    return ExitCodes.OK;
  }

  /** SIGHUP: the file again, applied like {@code PUT /config}; a bad file keeps the running one. */
  private void reload(LoadBalancer lb) {
    try {
      LbConfig next = LbConfig.load(config);
      LbConfig cur = lb.config(); // the admin listener is fixed for the life of the process
      lb.apply(next.withAdmin(cur.adminAddress(), cur.adminPort()));
      spec.commandLine()
          .getOut()
          .printf(
              "lb: reloaded %s: %d rules, %d pools%n",
              config, next.rules().size(), next.pools().size());
      spec.commandLine().getOut().flush();
    } catch (IOException | RuntimeException e) { // LbException names the file and the field
      String why = e instanceof NoSuchFileException ? "file not found" : e.getMessage();
      spec.commandLine()
          .getErr()
          .printf("lb: reload of %s failed, the running config is kept: %s%n", config, why);
      spec.commandLine().getErr().flush();
    }
  }
}
