package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The attacker of issue 12 in one process: every flood at once against every broker of the mesh.
 * Each attack runs from its own loopback source addresses ({@code NET.K.N}) and certificates
 * ({@code atk-ctl-N}, {@code atk-tgt-N} from {@link HostilePki}).
 *
 * <p>Options: {@code --brokers ID@IP:PORT,... --admins IP:PORT,... --pki DIR --seconds N --out FILE
 * [--net 127.232] [--guessers 6] [--guess-rate 2] [--lockout 30] [--lockout-rate 1] [--proxy-rate
 * 2] [--admin-slow 80] [--client-slow 100] [--replay-ms 2000] [--warmup 20] [--stop-file F]}; rates
 * are per source and second. Prints {@code ATTACKING EPOCHMS} once its keys are loaded, then
 * attacks until {@code --seconds} have passed or the stop file exists; prints its counts and writes
 * them to {@code --out}.
 */
public final class HostileNeighbour {
  private HostileNeighbour() {}

  public static void main(String[] args) throws Exception {
    Opts o = new Opts(args);
    List<BrokerEndpoint> brokers = o.brokers("brokers");
    Path pki = Path.of(o.required("pki"));
    String net = o.get("net", "127.232");
    int guessers = o.integer("guessers", 6);
    int lockout = o.integer("lockout", 30);
    // Loading ~40 keys takes seconds on a loaded machine: a first build loads (and caches) them,
    // so the attack, and its clock, start only when every identity is ready.
    build(
        o, pki, net, guessers, lockout, brokers, new Deadline(0), new Counts(0), new ArrayList<>());
    warmUp(Opts.identity(pki, "atk-ctl-1", net + ".0.1"), brokers, o.integer("warmup", 20));
    long start = System.currentTimeMillis();
    Deadline deadline = new Deadline(start + o.integer("seconds", 60) * 1000L);
    Path stopFile = Path.of(o.get("stop-file", "/nonexistent/stop"));
    Counts counts = new Counts(start);
    List<Socket> floods = new CopyOnWriteArrayList<>();
    List<Runnable> attacks =
        build(o, pki, net, guessers, lockout, brokers, deadline, counts, floods);
    System.out.println("ATTACKING " + start);
    System.out.flush();
    List<Thread> threads = new ArrayList<>();
    for (Runnable r : attacks) {
      Thread t = new Thread(r, r.getClass().getSimpleName());
      t.setDaemon(true);
      t.start();
      threads.add(t);
      LegitLoad.sleep(50); // ~40 handshakes at the same instant would time out on a busy machine
    }
    while (deadline.open()) {
      if (Files.exists(stopFile)) {
        deadline.endNow();
      }
      LegitLoad.sleep(200);
    }
    for (Socket s : floods) {
      RawTls.closeQuietly(s); // a flood blocked in write() returns
    }
    long joinBy = System.currentTimeMillis() + 15_000; // a thread stuck in a read is a daemon
    for (Thread t : threads) {
      t.join(Math.max(1, joinBy - System.currentTimeMillis()));
    }
    long end = System.currentTimeMillis();
    String report =
        "attack.start_ms="
            + start
            + "\nattack.deadline_ms="
            + deadline.at()
            + "\nattack.end_ms="
            + end
            + "\nattack.sources="
            + (guessers + lockout)
            + "\n"
            + counts.report("");
    System.out.print(report);
    Files.writeString(Path.of(o.required("out")), report);
  }

  private static List<Runnable> build(
      Opts o,
      Path pki,
      String net,
      int guessers,
      int lockout,
      List<BrokerEndpoint> brokers,
      Deadline deadline,
      Counts counts,
      List<Socket> floods)
      throws IOException {
    List<Runnable> attacks = new ArrayList<>();
    for (BrokerEndpoint b : brokers) {
      attacks.add(
          new ControlFlood(
              Opts.identity(pki, "atk-ctl-1", net + ".0.1"), b, deadline, counts, floods));
    }
    double guessRate = Double.parseDouble(o.get("guess-rate", "2"));
    for (int i = 1; i <= guessers; i++) {
      attacks.add(
          new WrongCodes(
              "guess",
              Opts.identity(pki, "atk-tgt-" + i, net + ".1." + i),
              brokers,
              i,
              guessRate,
              deadline,
              counts));
    }
    double lockoutRate = Double.parseDouble(o.get("lockout-rate", "1"));
    for (int i = 1; i <= lockout; i++) {
      attacks.add(
          new WrongCodes(
              "lockout",
              Opts.identity(pki, "atk-tgt-" + (guessers + i), net + ".2." + i),
              brokers,
              i,
              lockoutRate,
              deadline,
              counts));
    }
    attacks.add(
        new ForgedProxy(
            Opts.identity(pki, "atk-tgt-" + (guessers + lockout + 1), net + ".3.1"),
            brokers,
            Double.parseDouble(o.get("proxy-rate", "2")),
            deadline,
            counts));
    InetSocketAddress slowSource = new InetSocketAddress(net + ".4.1", 0);
    for (String admin : o.required("admins").split(",")) {
      attacks.add(
          new Slowloris(
              "slow_admin",
              address(admin),
              slowSource,
              true,
              o.integer("admin-slow", 80),
              deadline,
              counts));
    }
    for (BrokerEndpoint b : brokers) {
      attacks.add(
          new Slowloris(
              "slow_client",
              b.address(),
              slowSource,
              false,
              o.integer("client-slow", 100),
              deadline,
              counts));
    }
    attacks.add(
        new TicketReplay(
            Opts.identity(pki, "atk-ctl-2", net + ".5.1"),
            Opts.identity(pki, "atk-ctl-3", net + ".5.2"),
            Opts.identity(pki, "atk-tgt-" + (guessers + lockout + 2), net + ".5.3"),
            brokers,
            o.integer("replay-ms", 2000),
            deadline,
            counts));
    return attacks;
  }

  /**
   * Sequential handshakes and pings before the attack: a cold JVM takes seconds of CPU for its
   * first TLS handshakes, and the broker's handshake timeout would cut them off.
   */
  private static void warmUp(ClientOptions id, List<BrokerEndpoint> brokers, int handshakes) {
    for (int i = 0; i < handshakes; i++) {
      try (BrokerConnection c = BrokerConnection.open(id, brokers.get(i % brokers.size()))) {
        c.ping();
      } catch (IOException e) {
        System.err.println("warm-up handshake failed: " + e);
      }
    }
  }

  private static InetSocketAddress address(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
