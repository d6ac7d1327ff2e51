package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Signals;
import dev.switchboard.cli.shell.LocalTerminal;
import dev.switchboard.cli.shell.ShellBridge;
import dev.switchboard.cli.shell.StreamShell;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.LatencyProbe;
import dev.switchboard.client.ProbeResult;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.mux.MuxBridges;
import dev.switchboard.client.mux.MuxSession;
import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      "then carries stdin/stdout as one stream, or each connection to --listen and --forward",
      "ports as a stream of its own. With listeners it runs until Ctrl-C (SIGINT) or SIGTERM,",
      "which ends the session cleanly (exit 0), or until the session ends otherwise."
    })
public final class ControllerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientIdentity identity;
  @Mixin BrokerChoice brokers;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Accept local TCP connections here, each a stream to the target's default service"
              + " (e.g. for ssh -p PORT localhost).")
  String listen;

  @Option(
      names = "--forward",
      paramLabel = "[LOCAL_HOST:]LOCAL_PORT:TARGET_HOST:TARGET_PORT",
      description =
          "Accept local TCP connections on LOCAL_PORT (LOCAL_HOST: 127.0.0.1), each a stream to"
              + " TARGET_HOST:TARGET_PORT, which the target must allow (its --to). Repeatable.")
  List<String> forwards = new ArrayList<>();

  @Option(
      names = "--shell",
      description = {
        "Open the target's shell (its --shell) in this terminal: raw mode, window size, Ctrl-C",
        "to the remote program; the terminal is restored on exit, and the exit code is the",
        "remote command's exit status."
      })
  boolean shell;

  private final CountDownLatch stop = new CountDownLatch(1);

  @Option(
      names = {"-v", "--verbose"},
      description = "Print progress (latency table, redirect) on stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    List<Forward> fws = forwards.stream().map(ControllerCommand::parseForward).toList();
    if (shell && (listen != null || !fws.isEmpty())) {
      throw new CliException(ExitCodes.USAGE, "--shell cannot be combined with --listen/--forward");
    }
    if (shell && !LocalTerminal.isInteractive()) {
      throw new CliException(
          ExitCodes.USAGE, "--shell needs a terminal: standard input and output are not one");
    }
    List<BrokerEndpoint> all = brokers.endpoints();
    ClientOptions opts = identity.load("alice"); // after the usage errors
    PrintWriter err = spec.commandLine().getErr();
    boolean listening = listen != null || !forwards.isEmpty();
    PrintWriter info = listening ? spec.commandLine().getOut() : err;
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
      List<ServerSocket> servers = new ArrayList<>();
      List<String> services = new ArrayList<>();
      try {
        if (listen != null) {
          servers.add(bind("--listen", listen));
          services.add("");
        }
        for (Forward fw : fws) {
          servers.add(bind("--forward", fw.local().toString()));
          services.add(fw.service());
        }
      } catch (CliException e) {
        servers.forEach(ControllerCommand::closeQuietly);
        throw e;
      }
      try (AutoCloseable closeServers = () -> servers.forEach(ControllerCommand::closeQuietly);
          Controller c = Controller.requestCode(opts, nearest, brokers.resolver(), events)) {
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
        MuxSession mux = MuxSession.controller(s);
        if (shell) {
          return carryShell(mux);
        }
        if (servers.isEmpty()) {
          carryStdio(mux);
        } else {
          carryListeners(mux, servers, services, info);
        }
        RefusedException end = mux.awaitEnd();
        if (end != null) {
          throw ExitCodes.sessionEnded(end);
        }
        return ExitCodes.OK;
      }
    } catch (IOException e) {
      throw Failures.of(e);
    } catch (CliException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // closing a listener does not throw
    }
  }

  /** The target's shell in this terminal; returns its exit status (the session ends with it). */
  private int carryShell(MuxSession mux) throws IOException {
    MuxStream st;
    try {
      st = mux.open("shell");
    } catch (RefusedException r) {
      mux.close();
      throw ExitCodes.streamRefused(r);
    }
    try (LocalTerminal terminal = LocalTerminal.open()) {
      int status = ShellBridge.run(terminal, new StreamShell(st));
      mux.close();
      return status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      mux.close();
      throw new CliException(ExitCodes.RUNTIME, "interrupted");
    }
  }

  /** One stream for stdin/stdout (e.g. as an ssh ProxyCommand); the session ends with it. */
  private void carryStdio(MuxSession mux) throws IOException {
    MuxStream st;
    try {
      st = mux.open("");
    } catch (RefusedException r) {
      if (mux.hasEnded()) {
        return; // reported by the caller with the session's reason
      }
      mux.close();
      throw ExitCodes.streamRefused(r);
    }
    IOException failed = MuxBridges.streams(st, System.in, System.out);
    if (failed instanceof RefusedException r && !mux.hasEnded()) {
      mux.close();
      throw ExitCodes.streamEnded(r); // the target reset this stream
    }
    mux.close();
  }

  /** Carries every local connection until a signal (or {@link #stop()}), or the session's end. */
  private void carryListeners(
      MuxSession mux, List<ServerSocket> servers, List<String> services, PrintWriter info)
      throws IOException {
    try (StreamListeners listeners = new StreamListeners(mux, spec.commandLine().getErr());
        AutoCloseable signals = Signals.onStop(this::stop)) {
      for (int i = 0; i < servers.size(); i++) {
        String service = services.get(i);
        listeners.start(servers.get(i), service);
        info.println(
            "listening on "
                + StreamListeners.address(servers.get(i))
                + " for "
                + (service.isEmpty() ? "the target's default service" : service));
      }
      info.println("each connection is a stream of its own; Ctrl-C ends the session");
      info.flush();
      Thread watcher =
          new Thread(
              () -> {
                try {
                  mux.awaitEnd();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                stop.countDown();
              },
              "switchboard-session-watch");
      watcher.setDaemon(true);
      watcher.start();
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      listeners.close();
      if (!mux.hasEnded()) {
        spec.commandLine().getErr().println("stopping: ending the session");
        spec.commandLine().getErr().flush();
        mux.close();
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // restoring signal handlers does not fail
    }
  }

  /** Ends a listening controller as Ctrl-C does: the session ends cleanly, exit code 0. */
  void stop() {
    stop.countDown();
  }

  private static Forward parseForward(String f) {
    try {
      return Forward.parse(f);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--forward: " + e.getMessage());
    }
  }

  private static void closeQuietly(ServerSocket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static ServerSocket bind(String option, String spec) {
    HostPort hp;
    try {
      hp = HostPort.parse(spec);
      return new ServerSocket(hp.port(), 50, InetAddress.getByName(hp.host()));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, option + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, "cannot listen on " + spec + ": " + e.getMessage());
    }
  }
}
