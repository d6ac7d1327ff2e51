package dev.switchboard.localnet.internal;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfigFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One broker of a local topology in a process of its own: {@code BrokerMain CONFIG_FILE}. Standard
 * input is the line to the topology that started it: {@code drain MILLIS} drains the broker and
 * exits, and end of input (the topology closed the pipe, or died, even by SIGKILL) closes it and
 * exits, so no broker outlives its topology. SIGTERM closes it too.
 */
public final class BrokerMain {
  /** Printed on standard output once every listener is bound. */
  static final String READY = "switchboard-broker-ready";

  /** Exit status of a broker that could not bind a listener (EADDRINUSE's number on Linux). */
  public static final int EXIT_ADDRESS_IN_USE = 98;

  private BrokerMain() {}

  private static boolean bindFailure(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: BrokerMain CONFIG_FILE");
      System.exit(2);
    }
    Broker b;
    try {
      b = Broker.start(BrokerConfigFile.load(Path.of(args[0])));
    } catch (Exception e) {
      System.err.println("switchboard: broker failed to start: " + e.getMessage());
      System.exit(bindFailure(e) ? EXIT_ADDRESS_IN_USE : 3);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(b::close, "broker-shutdown"));
    System.out.println(READY + " " + b.id() + " pid " + ProcessHandle.current().pid());
    System.out.flush();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("drain ")) {
          b.drainAndClose(Duration.ofMillis(Long.parseLong(line.substring(6).trim())));
          break;
        }
      }
    }
    System.exit(0); // the shutdown hook closes the broker (a no-op after a drain)
  }
}
