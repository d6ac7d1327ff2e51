package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.Bridges;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Session;
import dev.switchboard.client.Target;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard target}: pick the fastest broker, join with the code, bridge to a local
 * service.
 */
@Command(
    name = "target",
    mixinStandardHelpOptions = true,
    description = {
      "Measures latency to every broker, joins the fastest with the code, and bridges the",
      "session to a local TCP service (--to) or to a command's stdin/stdout (--exec)."
    })
public final class TargetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientIdentity identity;
  @Mixin BrokerChoice brokers;

  @Option(
      names = "--code",
      required = true,
      paramLabel = "CODE",
      description = "The controller's connection code.")
  String code;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Bridge bridge;

  static final class Bridge {
    @Option(
        names = "--to",
        paramLabel = "HOST:PORT",
        description = "Local TCP service, e.g. 127.0.0.1:22.")
    String to;

    @Option(
        names = "--exec",
        paramLabel = "CMD",
        description = "Command whose stdin/stdout carry the session.")
    String exec;
  }

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the latency table and the choice on stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    ClientOptions opts = identity.load("t1");
    PrintWriter err = spec.commandLine().getErr();
    HostPort to = null;
    if (bridge.to != null) {
      try {
        to = HostPort.parse(bridge.to);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--to: " + e.getMessage());
      }
    }
    try {
      Session s = Target.join(opts, brokers.endpoints(), code, new Progress(err, verbose));
      err.println("session " + s.id() + " with " + s.peerName() + " via " + s.brokerId());
      err.flush();
      if (to != null) {
        try (Socket local = new Socket()) {
          local.connect(new InetSocketAddress(to.host(), to.port()), 5000);
          Bridges.socket(s, local);
        } catch (IOException e) {
          s.close();
          throw new CliException(
              ExitCodes.NETWORK, "cannot connect to local service " + to + ": " + e.getMessage());
        }
      } else {
        Process p =
            new ProcessBuilder("sh", "-c", bridge.exec)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Bridges.streams(s, p.getInputStream(), p.getOutputStream());
        p.destroy();
      }
      if (s.endReason() != null) {
        throw new CliException(ExitCodes.RUNTIME, "session ended: " + s.endReason().getMessage());
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      throw Failures.of(e);
    }
  }
}
