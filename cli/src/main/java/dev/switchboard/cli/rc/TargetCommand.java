package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.Bridges;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.Target;
import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
    header = "Join a controller's session and bridge it to a local service.",
    description = {
      "Measures latency to every broker, joins the fastest with the code, and bridges the",
      "session to a local TCP service (--to) or to a command's stdin/stdout (--exec)."
    })
public final class TargetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientIdentity identity;
  @Mixin BrokerChoice brokers;
  @Mixin Consent consent;

  static final String CODE_ENV = "SWITCHBOARD_CODE";

  @Option(
      names = "--code",
      paramLabel = "CODE",
      description = {
        "The controller's connection code; '-' reads it from the first line of stdin.",
        "Without --code, the environment variable " + CODE_ENV + " (either keeps it out of ps)."
      })
  String code;

  // Replaced by tests: the code may come from stdin or the environment.
  InputStream stdin = System.in;
  Function<String, String> env = System::getenv;

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
    PrintWriter err = spec.commandLine().getErr();
    String code = CodeSource.resolve(this.code, stdin, env.apply(CODE_ENV));
    ConnectionCodes.problem(code) // before any broker sees it: a malformed code is a typo
        .ifPresent(
            p -> {
              throw new CliException(ExitCodes.USAGE, "--code: " + p);
            });
    HostPort to = null;
    if (bridge.to != null) {
      try {
        to = HostPort.parse(bridge.to);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--to: " + e.getMessage());
      }
    }
    List<BrokerEndpoint> endpoints = brokers.endpoints();
    consent.prepare();
    ClientOptions opts = identity.load("t1"); // after the usage errors
    try {
      Session s = Target.join(opts, endpoints, code, new Progress(err, verbose));
      err.println("session " + s.id() + " with " + s.peerName() + " via " + s.brokerId());
      err.flush();
      consent.confirm(s);
      if (to != null) {
        Socket local = new Socket();
        try {
          local.connect(new InetSocketAddress(to.host(), to.port()), 5000);
        } catch (IOException e) {
          local.close();
          String why = "the target cannot connect to " + to + ": " + e.getMessage();
          s.abort(ErrorCode.SERVICE_UNREACHABLE, why); // the controller reports the same
          throw ExitCodes.sessionEnded(new RefusedException(ErrorCode.SERVICE_UNREACHABLE, why));
        }
        Bridges.socket(s, local);
      } else {
        Process p =
            new ProcessBuilder("sh", "-c", bridge.exec)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Bridges.streams(s, p.getInputStream(), p.getOutputStream());
        p.destroy();
      }
      if (s.endReason() != null) {
        throw ExitCodes.sessionEnded(s.endReason());
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      throw Failures.of(e);
    }
  }
}
