package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.shell.PtyStreamHandler;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.Target;
import dev.switchboard.client.mux.MuxSession;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.client.mux.TargetServices;
import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
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
      "Measures latency to every broker, joins the fastest with the code, and serves each",
      "stream the controller opens: connects it to a local TCP service it allows (--to, the",
      "first is the default) or runs a command per stream (--exec). Ends with the session."
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
        description = {
          "Local TCP service, e.g. 127.0.0.1:22. Repeatable: the first is the default service,",
          "and the controller may open streams to exactly these (its --forward), no others."
        })
    List<String> to;

    @Option(
        names = "--exec",
        paramLabel = "CMD",
        description = "Command run for each stream (sh -c CMD), its stdin/stdout the stream's.")
    String exec;

    @Option(
        names = "--shell",
        paramLabel = "CMD",
        arity = "0..1",
        fallbackValue = "",
        description = {
          "Each stream runs CMD (default: your login shell) in a pseudo-terminal of its own:",
          "the controller's --shell gets a real terminal (prompt, job control, full-screen",
          "programs, window size, Ctrl-C), and the command's exit status."
        })
    String shell;
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
    TargetServices services;
    if (bridge.to != null) {
      List<HostPort> allowed = new ArrayList<>();
      for (String t : bridge.to) {
        try {
          allowed.add(HostPort.parse(t));
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCodes.USAGE, "--to: " + e.getMessage());
        }
      }
      services = TargetServices.tcp(allowed);
    } else if (bridge.shell != null) {
      String cmd = bridge.shell.isBlank() ? null : bridge.shell;
      services = TargetServices.shell(() -> new PtyStreamHandler(cmd));
    } else {
      services = TargetServices.exec(bridge.exec);
    }
    List<BrokerEndpoint> endpoints = brokers.endpoints();
    consent.prepare();
    ClientOptions opts = identity.load("t1"); // after the usage errors
    try {
      Session s = Target.join(opts, endpoints, code, new Progress(err, verbose));
      err.println("session " + s.id() + " with " + s.peerName() + " via " + s.brokerId());
      err.flush();
      consent.confirm(s);
      err.println("serving " + services.describe());
      err.flush();
      MuxSession mux = MuxSession.target(s, service -> opened(services, service, err));
      RefusedException end = mux.awaitEnd();
      if (end != null) {
        throw ExitCodes.sessionEnded(end);
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      throw Failures.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.RUNTIME, "interrupted");
    }
  }

  /** The policy's verdict, with refusals (and, verbose, each accepted stream) on stderr. */
  private StreamHandler opened(TargetServices services, String service, PrintWriter err)
      throws IOException {
    String what = service.isEmpty() ? "the default service" : service;
    try {
      StreamHandler h = services.open(service);
      if (verbose) {
        say(err, "stream to " + what + " accepted");
      }
      return h;
    } catch (RefusedException r) {
      say(
          err,
          "stream to "
              + what
              + " refused: "
              + r.code().name()
              + " — "
              + r.getMessage().substring(r.code().name().length() + 2));
      throw r;
    }
  }

  private static void say(PrintWriter err, String line) {
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }
}
