package dev.switchboard.bench;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.testkit.TestPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A broker in its own JVM for the benchmarks: creates a PKI in {@code DIR}, starts one broker on
 * 127.0.0.1 and prints {@code READY <clientPort> <adminPort> <pid>}. Then answers lines on stdin:
 * {@code stats} prints one {@code STATS key=value...} line (measured after a full GC); end of input
 * stops the broker.
 *
 * <p>Usage: {@code java -cp switchboard-bench.jar dev.switchboard.bench.BrokerMain DIR}
 */
public final class BrokerMain {
  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: BrokerMain DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    TestPki pki = BenchPki.create(dir);
    // Idle sessions must outlive the few minutes it takes to open 5,000 of them and measure.
    BrokerConfig cfg =
        BrokerConfig.defaults(
                BenchPki.BROKER,
                "localhost",
                new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", 0),
                pki.caFile(),
                pki.certFile(BenchPki.BROKER),
                pki.keyFile(BenchPki.BROKER))
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofHours(2));
    long pid = ProcessHandle.current().pid();
    try (Broker broker =
        Broker.start(cfg, BenchPki.load(dir, BenchPki.BROKER), Clock.systemUTC())) {
      System.out.println("READY " + broker.clientPort() + " " + broker.adminPort() + " " + pid);
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.trim().equals("stats")) {
          System.out.println(stats(broker, pid));
          System.out.flush();
        }
      }
    }
  }

  private static String stats(Broker broker, long pid) {
    // Two collections so that objects freed by finalization/cleaners of the first are gone too.
    System.gc();
    System.gc();
    var mem = ManagementFactory.getMemoryMXBean();
    long direct = -1;
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      direct = p.metric().usedDirectMemory();
    }
    return "STATS sessions="
        + broker.activeSessions()
        + " rss="
        + ProcStats.rssBytes(pid)
        + " heapUsed="
        + mem.getHeapMemoryUsage().getUsed()
        + " heapCommitted="
        + mem.getHeapMemoryUsage().getCommitted()
        + " nonHeapUsed="
        + mem.getNonHeapMemoryUsage().getUsed()
        + " nettyDirect="
        + direct
        + " fds="
        + ProcStats.openFds(pid)
        + " threads="
        + ProcStats.threads(pid);
  }
}
