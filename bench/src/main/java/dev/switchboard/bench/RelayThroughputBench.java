package dev.switchboard.bench;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Throughput of one session relayed by a broker (in its own JVM) against a direct TLS 1.3
 * connection between the same controller and target, alternating rounds in one run, one direction
 * and both directions.
 *
 * <p>Usage: {@code java -cp switchboard-bench.jar dev.switchboard.bench.RelayThroughputBench
 * [--rounds 5] [--mib 1024] [--warmup-mib 512] [--jdk-default-suite] [--only direct|broker]
 * [--broker-jvm "-XX:StartFlightRecording=..."]}
 *
 * <p>The direct connection offers only the cipher suite the broker negotiated, unless {@code
 * --jdk-default-suite} lets the JDK pick its own preference. {@code --only} times one mode (both
 * are still warmed up), for profiling one mode at a time.
 */
public final class RelayThroughputBench {
  private RelayThroughputBench() {}

  private enum Mode {
    DIRECT,
    BROKER
  }

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    long mib = 1024;
    long warmupMib = 512;
    boolean matchSuite = true;
    Mode only = null;
    List<String> brokerJvm = new ArrayList<>(List.of("-Xmx1g"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--mib" -> mib = Long.parseLong(args[++i]);
        case "--warmup-mib" -> warmupMib = Long.parseLong(args[++i]);
        case "--jdk-default-suite" -> matchSuite = false;
        case "--only" -> only = Mode.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--broker-jvm" -> brokerJvm.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Path dir = Files.createTempDirectory("switchboard-bench-pki");
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "bench-io");
              t.setDaemon(true);
              return t;
            });
    try (BrokerProcess broker = BrokerProcess.start(dir, brokerJvm)) {
      ClientOptions ctl = BenchPki.options(dir, BenchPki.CONTROLLER);
      ClientOptions tgt = BenchPki.options(dir, BenchPki.TARGET);
      BrokerEndpoint endpoint =
          new BrokerEndpoint(BenchPki.BROKER, "localhost", broker.clientAddress());
      try (DirectTls direct = DirectTls.listen(ctl, tgt)) {
        Runner runner = new Runner(direct, broker, ctl, tgt, endpoint, pool, matchSuite);
        // Learn the suite the broker negotiates first, so the direct rounds can use the same one.
        runner.round(Mode.BROKER, 16 << 20, false);
        System.out.printf(
            "relay throughput: %d rounds of %d MiB per mode, alternating direct/broker; MB = 10^6 bytes%n",
            rounds, mib);
        for (boolean both : new boolean[] {false, true}) {
          String dirName = both ? "both directions" : "one direction";
          runner.round(Mode.DIRECT, warmupMib << 20, both);
          runner.round(Mode.BROKER, warmupMib << 20, both);
          double[] d = new double[rounds];
          double[] b = new double[rounds];
          double[] ratios = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            Result rd =
                only == Mode.BROKER ? Result.SKIPPED : runner.round(Mode.DIRECT, mib << 20, both);
            Result rb =
                only == Mode.DIRECT ? Result.SKIPPED : runner.round(Mode.BROKER, mib << 20, both);
            d[r] = rd.mbPerSecond;
            b[r] = rb.mbPerSecond;
            ratios[r] = b[r] / d[r];
            System.out.printf(
                "  %-15s round %d  direct %7.1f MB/s (cpu %4.1f s)  broker %7.1f MB/s"
                    + " (cpu clients %4.1f s + broker %4.1f s)  ratio %.2f%n",
                dirName,
                r + 1,
                rd.mbPerSecond,
                rd.clientCpu,
                rb.mbPerSecond,
                rb.clientCpu,
                rb.brokerCpu,
                ratios[r]);
          }
          System.out.printf(
              "RESULT %-15s median direct %.1f MB/s, median broker %.1f MB/s, broker/direct %.2f"
                  + " (median of per-round ratios %.2f)%n",
              dirName, median(d), median(b), median(b) / median(d), median(ratios));
        }
        System.out.println(
            "cipher suites: direct " + runner.directSuite + ", via broker " + runner.brokerSuite);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** One timed transfer: MB/s counts payload bytes of both directions together. */
  private record Result(double mbPerSecond, double clientCpu, double brokerCpu) {
    static final Result SKIPPED = new Result(Double.NaN, Double.NaN, Double.NaN);
  }

  private static final class Runner {
    final DirectTls direct;
    final BrokerProcess broker;
    final ClientOptions ctl;
    final ClientOptions tgt;
    final BrokerEndpoint endpoint;
    final ExecutorService pool;
    final long self = ProcessHandle.current().pid();
    final boolean matchBroker;
    String directSuite = "?";
    String brokerSuite;

    Runner(
        DirectTls direct,
        BrokerProcess broker,
        ClientOptions ctl,
        ClientOptions tgt,
        BrokerEndpoint endpoint,
        ExecutorService pool,
        boolean matchBroker) {
      this.matchBroker = matchBroker;
      this.direct = direct;
      this.broker = broker;
      this.ctl = ctl;
      this.tgt = tgt;
      this.endpoint = endpoint;
      this.pool = pool;
    }

    Result round(Mode mode, long bytes, boolean both) throws IOException {
      Endpoints e;
      if (mode == Mode.DIRECT) {
        e = direct.connect(matchBroker && !"unknown".equals(brokerSuite) ? brokerSuite : null);
        directSuite = e.cipherSuite();
      } else {
        Session[] s = RelayedSessions.open(ctl, tgt, endpoint, pool);
        e = RelayedSessions.endpoints(s[0], s[1]);
        brokerSuite = e.cipherSuite();
      }
      try (e) {
        double cpu0 = ProcStats.cpuSeconds(self);
        double bcpu0 = ProcStats.cpuSeconds(broker.pid());
        double seconds = Transfer.run(e, bytes, both, pool);
        double cpu = ProcStats.cpuSeconds(self) - cpu0;
        double bcpu = ProcStats.cpuSeconds(broker.pid()) - bcpu0;
        return new Result((both ? 2 : 1) * bytes / 1e6 / seconds, cpu, bcpu);
      }
    }
  }
}
