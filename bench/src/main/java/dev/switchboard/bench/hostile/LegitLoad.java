package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Legitimate load: controller/target pairs that set up sessions through the mesh again and again
 * and move checked bytes each way. Each pair has its own certificates and its own source addresses,
 * as real users would; every other session of a pair joins at another broker than the controller's,
 * so the mesh redirect is used.
 *
 * <p>Options: {@code --brokers ID@IP:PORT,... --pki DIR --first N --pairs N --seconds N [--bytes
 * 65536] [--think-ms 8000] [--source-net 127.231] --out FILE}. Writes {@code # ready EPOCHMS} once
 * its keys are loaded (the clock starts then), then one line per attempt: {@code startEpochMs pair
 * local|redirect ok|fail setupMs transferMs error}.
 */
public final class LegitLoad {
  private LegitLoad() {}

  public static void main(String[] args) throws Exception {
    Opts o = new Opts(args);
    List<BrokerEndpoint> brokers = o.brokers("brokers");
    Path pki = Path.of(o.required("pki"));
    int first = o.integer("first", 1);
    int pairs = o.integer("pairs", 25);
    int bytes = o.integer("bytes", 65536);
    int think = o.integer("think-ms", 8000);
    String net = o.get("source-net", "127.231");
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Pair> all = new ArrayList<>();
    for (int p = first; p < first + pairs; p++) {
      all.add(
          new Pair(
              p,
              Opts.identity(pki, "legit-ctl-" + p, net + ".1." + p),
              Opts.identity(pki, "legit-tgt-" + p, net + ".2." + p),
              brokers,
              bytes,
              pool));
    }
    // The clock starts once the keys are loaded (seconds, on a loaded machine).
    long ready = System.currentTimeMillis();
    long deadline = ready + o.integer("seconds", 60) * 1000L;
    List<Thread> threads = new ArrayList<>();
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(o.required("out"))))) {
      out.println("# ready " + ready);
      out.flush();
      for (Pair pair : all) {
        Thread t =
            new Thread(
                () -> {
                  // Spread the pairs' first set-ups over one think time.
                  sleep(ThreadLocalRandom.current().nextInt(think + 1));
                  for (int i = 0; System.currentTimeMillis() < deadline; i++) {
                    String line = pair.attempt(i);
                    synchronized (out) {
                      out.println(line);
                      out.flush();
                    }
                    sleep(ThreadLocalRandom.current().nextInt(think + 1) + think / 2);
                  }
                },
                "pair-" + pair.index());
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One controller and one target. */
  record Pair(
      int index,
      ClientOptions controller,
      ClientOptions target,
      List<BrokerEndpoint> brokers,
      int bytes,
      ExecutorService pool) {

    String attempt(int i) {
      long startMs = System.currentTimeMillis();
      long start = System.nanoTime();
      BrokerEndpoint at = brokers.get(index % brokers.size());
      boolean redirect = (i + index) % 2 == 1;
      BrokerEndpoint joinAt = redirect ? brokers.get((index + 1) % brokers.size()) : at;
      String kind = redirect ? "redirect" : "local";
      Session[] s = new Session[2];
      long setup = -1;
      try {
        Controller c = Controller.requestCode(controller, at, Resolver.SYSTEM, SessionEvents.NONE);
        try {
          Future<Session> cs = pool.submit(c::awaitSession);
          s[1] = Target.join(target, List.of(joinAt), c.code(), SessionEvents.NONE);
          s[0] = cs.get(30, TimeUnit.SECONDS);
        } finally {
          if (s[0] == null) {
            c.close();
          }
        }
        setup = System.nanoTime() - start;
        long t0 = System.nanoTime();
        Exchange.both(s[0], s[1], bytes, index * 1_000_003L + i, pool);
        long transfer = System.nanoTime() - t0;
        return String.format(
            "%d %d %s ok %.2f %.2f -", startMs, index, kind, setup / 1e6, transfer / 1e6);
      } catch (Exception e) {
        String why = (e.getClass().getSimpleName() + ":" + e.getMessage()).replaceAll("\\s+", "_");
        return String.format(
            "%d %d %s fail %.2f -1 %s",
            startMs, index, kind, setup < 0 ? -1 : setup / 1e6, setup < 0 ? "setup:" + why : why);
      } finally {
        for (Session x : s) {
          if (x != null) {
            x.close();
          }
        }
      }
    }
  }

  static final class Exchange {
    private Exchange() {}

    /** Sends {@code n} seeded bytes each way at once and checks every byte that arrives. */
    static void both(Session a, Session b, int n, long seed, ExecutorService pool)
        throws Exception {
      Future<?> ab = pool.submit(() -> send(a, n, seed));
      Future<?> ba = pool.submit(() -> send(b, n, ~seed));
      Future<?> atB = pool.submit(() -> check(b, n, seed));
      check(a, n, ~seed);
      atB.get(30, TimeUnit.SECONDS);
      ab.get(30, TimeUnit.SECONDS);
      ba.get(30, TimeUnit.SECONDS);
    }

    private static Void send(Session s, int n, long seed) throws IOException {
      byte[] buf = new byte[n];
      new java.util.Random(seed).nextBytes(buf);
      s.output().write(buf);
      s.output().flush();
      return null;
    }

    private static Void check(Session s, int n, long seed) throws IOException {
      byte[] want = new byte[n];
      new java.util.Random(seed).nextBytes(want);
      byte[] got = s.input().readNBytes(n);
      if (got.length != n || !java.util.Arrays.equals(got, want)) {
        throw new IOException("got " + got.length + " of " + n + " bytes, or different bytes");
      }
      return null;
    }
  }
}
