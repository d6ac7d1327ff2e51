package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.Bridges;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.LatencyProbe;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard controller}: get a code, wait for the target, bridge the session. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    header = "Get a connection code and bridge the target's session locally.",
    description = {
      "Requests a connection code from the nearest broker, prints it, waits for the target,",
      "then bridges the session to stdin/stdout or to one local TCP connection (--listen)."
    })
public final class ControllerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientIdentity identity;
  @Mixin BrokerChoice brokers;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Accept one local TCP connection here and bridge it (e.g. for ssh -p PORT localhost).")
  String listen;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print progress (latency table, redirect) on stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    List<BrokerEndpoint> all = brokers.endpoints();
    ClientOptions opts = identity.load("alice"); // after the usage errors
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter info = listen != null ? spec.commandLine().getOut() : err;
    SessionEvents events = new Progress(err, verbose);
    try {
      BrokerEndpoint nearest = all.get(0);
      if (all.size() > 1) {
        List<ProbeResult> results = LatencyProbe.measure(opts, all);
        events.probed(results);
        ProbeResult best =
            LatencyProbe.best(results)
                .orElseThrow(() -> new ConnectException("no broker reachable"));
        results.forEach(
            r -> {
              if (r.connection() != null) {
                r.connection().close();
              }
            });
        nearest = best.endpoint();
      }
      ServerSocket server = listen == null ? null : bind(listen);
      try (Controller c = Controller.requestCode(opts, nearest, brokers.resolver(), events)) {
        info.println(
            "Connection code: "
                + c.code()
                + "  (from "
                + c.brokerId()
                + ", valid until "
                + c.expiresAt()
                + ")");
        info.println("Give it to the target:  switchboard target --code " + c.code() + " ...");
        info.flush();
        Session s = c.awaitSession();
        err.println("session " + s.id() + " with " + s.peerName() + " via " + s.brokerId());
        err.flush();
        if (server != null) {
          info.println(
              "listening on "
                  + HostPort.of((InetSocketAddress) server.getLocalSocketAddress())
                  + " for one connection");
          info.flush();
          try (Socket local = server.accept()) {
            Bridges.socket(s, local);
          } finally {
            server.close();
          }
        } else {
          Bridges.streams(s, System.in, System.out);
        }
        if (s.endReason() != null) {
          throw ExitCodes.sessionEnded(s.endReason());
        }
        return ExitCodes.OK;
      }
    } catch (IOException e) {
      throw Failures.of(e);
    }
  }

  private static ServerSocket bind(String spec) {
    HostPort hp;
    try {
      hp = HostPort.parse(spec);
      return new ServerSocket(hp.port(), 1, InetAddress.getByName(hp.host()));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--listen: " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, "cannot listen on " + spec + ": " + e.getMessage());
    }
  }
}
