package dev.switchboard.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command: one entry point, a subcommand per component. */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.class,
    description = "Self-hosted remote-control broker network.",
    subcommands = {CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:runtime failure (incl. a session the peer or the broker ended)",
      "2:usage error (bad option or argument)",
      "3:configuration or file error (missing/invalid config, certificate, key; port in use;"
          + " missing resource or precondition)",
      "4:refused (by a broker: bad code, rate limited, wrong role; by a provider: conflict, still in use)",
      "5:network error (cannot connect, TLS handshake failed)"
    })
public final class Switchboard {

  private Switchboard() {}

  /** Builds the command line with every subcommand registered; tests use this directly. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Switchboard());
    Subcommands.register(cl);
    cl.setExecutionExceptionHandler(new ErrorReporter());
    cl.setParameterExceptionHandler(new ErrorReporter());
    return cl;
  }

  public static void main(String[] args) {
    // Netty samples one buffer in 128 with a stack trace to find leaks: a cost on every relayed
    // byte path (broker, lb, and the clients' TLS) that a shipped command does not need. Set before
    // any Netty class loads; -Dio.netty.leakDetection.level=simple turns it back on.
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
    CommandLine cl = commandLine();
    cl.setOut(new PrintWriter(System.out, true));
    cl.setErr(new PrintWriter(System.err, true));
    System.exit(cl.execute(args));
  }
}
