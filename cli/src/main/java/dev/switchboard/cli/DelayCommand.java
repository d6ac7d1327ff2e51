package dev.switchboard.cli;

import dev.switchboard.broker.Transports;
import dev.switchboard.config.Durations;
import dev.switchboard.localnet.DelayRelay;
import dev.switchboard.protocol.HostPort;
import io.netty.channel.EventLoopGroup;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard delay}: a simulated WAN link (TCP relays that add a fixed one-way delay in
 * each direction), for test networks where netem is not available.
 */
@Command(
    name = "delay",
    mixinStandardHelpOptions = true,
    header = "Relay TCP with a fixed delay each way: a simulated WAN link.",
    description = {
      "Listens on each --listen and relays every connection to the --to of the same position,",
      "delivering each chunk --delay after it was read, in order, in both directions; the first",
      "bytes wait one round trip more (the TCP handshake). Runs until Ctrl-C or SIGTERM."
    })
public final class DelayCommand implements Callable<Integer> {
  static final Duration MAX_DELAY = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      required = true,
      paramLabel = "ADDR:PORT",
      description = "Where to accept connections (repeatable; pairs with the --to in its place).")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--to",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Where to relay them (repeatable; resolved once, at start).")
  List<String> to = new ArrayList<>();

  @Option(
      names = "--delay",
      required = true,
      paramLabel = "DURATION",
      description = "One-way delay added in each direction, e.g. 85ms (half the round trip).")
  String delay;

  @Option(
      names = "--source",
      paramLabel = "ADDR",
      description = "Connect onward from this local address (default: the system's choice).")
  String source;

  @Override
  public Integer call() {
    Duration oneWay;
    List<InetSocketAddress[]> links = new ArrayList<>();
    InetAddress from = null;
    try {
      oneWay = Durations.parse("--delay", delay, Duration.ZERO, MAX_DELAY);
      if (listen.size() != to.size()) {
        throw new CliException(
            ExitCodes.USAGE,
            "give one --to per --listen, in the same order: got "
                + listen.size()
                + " --listen and "
                + to.size()
                + " --to");
      }
      for (int i = 0; i < listen.size(); i++) {
        HostPort l = HostPort.parse(listen.get(i));
        HostPort t = HostPort.parse(to.get(i));
        links.add(
            new InetSocketAddress[] {
              new InetSocketAddress(InetAddress.getByName(l.host()), l.port()),
              new InetSocketAddress(InetAddress.getByName(t.host()), t.port())
            });
      }
      if (source != null) {
        from = InetAddress.getByName(source);
      }
    } catch (IllegalArgumentException e) { // ConfigException too: a duration without a unit
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    } catch (UnknownHostException e) {
      throw new CliException(ExitCodes.NETWORK, "cannot resolve " + e.getMessage());
    }
    EventLoopGroup group = Transports.group(1);
    List<DelayRelay> relays = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          relays.forEach(DelayRelay::close);
          group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
        };
    PrintWriter out = spec.commandLine().getOut();
    try {
      for (InetSocketAddress[] link : links) {
        InetSocketAddress target = link[1];
        relays.add(
            DelayRelay.start(
                group,
                Transports.serverChannel(),
                Transports.channel(),
                link[0],
                () -> target,
                oneWay.toMillis(),
                from));
        out.printf(
            "delay: %s -> %s, %d ms each way%n",
            HostPort.of(relays.get(relays.size() - 1).address()),
            HostPort.of(target),
            oneWay.toMillis());
      }
    } catch (InterruptedException e) {
      stop.run();
      Thread.currentThread().interrupt();
      return ExitCodes.RUNTIME;
    } catch (
        Exception
            e) { // a bind failure (Netty rethrows it undeclared): a port in use is 3 from every
      // command
      stop.run();
      throw new CliException(
          ExitCodes.CONFIG,
          "cannot listen on " + HostPort.of(links.get(relays.size())[0]) + ": " + e.getMessage(),
          e);
    }
    out.flush();
    Thread hook =
        new Thread(
            () -> {
              stop.run();
              stopped.countDown();
            },
            "delay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop.run();
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }
}
