package dev.switchboard.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures every broker in parallel over the path real traffic takes: a TLS connection, then
 * several PING/PONG round trips, median taken. A TCP connect to a proxying load balancer would only
 * measure the nearest point of presence, so the connect itself is never timed.
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  /** Probes all endpoints; unreachable or slow ones come back with an error, connections closed. */
  public static List<ProbeResult> measure(ClientOptions opts, List<BrokerEndpoint> endpoints) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, endpoints.size()),
            r -> {
              Thread t = new Thread(r, "switchboard-probe");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<ProbeResult>> futures = new ArrayList<>();
      List<Handoff> handoffs = new ArrayList<>();
      for (BrokerEndpoint e : endpoints) {
        Handoff h = new Handoff();
        handoffs.add(h);
        futures.add(pool.submit(() -> h.deliver(probe(opts, e))));
      }
      long deadline = System.nanoTime() + opts.probeTimeout().toNanos();
      List<ProbeResult> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        Future<ProbeResult> f = futures.get(i);
        try {
          results.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          ProbeResult justInTime = handoffs.get(i).abandon();
          if (justInTime != null) {
            results.add(justInTime);
          } else {
            f.cancel(true);
            results.add(
                failed(
                    endpoints.get(i),
                    "no answer within " + opts.probeTimeout().toMillis() + " ms"));
          }
        } catch (Exception e) {
          Throwable c = e.getCause() == null ? e : e.getCause();
          results.add(
              failed(endpoints.get(i), c.getMessage() == null ? c.toString() : c.getMessage()));
        }
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  /** The reachable result with the lowest median, if any. */
  public static Optional<ProbeResult> best(List<ProbeResult> results) {
    return results.stream()
        .filter(ProbeResult::reachable)
        .min(Comparator.comparingDouble(ProbeResult::medianMs));
  }

  private static ProbeResult probe(ClientOptions opts, BrokerEndpoint e) throws Exception {
    BrokerConnection c = BrokerConnection.open(opts, e);
    try {
      double[] samples = new double[opts.probeSamples()];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = c.ping() / 1e6;
      }
      return new ProbeResult(e, c.brokerId(), median(samples), samples, null, c);
    } catch (Exception ex) {
      c.close();
      throw ex;
    }
  }

  static double median(double[] samples) {
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static ProbeResult failed(BrokerEndpoint e, String why) {
    return new ProbeResult(e, null, Double.NaN, new double[0], why, null);
  }

  /**
   * Hands a probe's result to {@link #measure}, or closes its connection when measure gave up on
   * it: a probe that finishes after its deadline must not leak its connection, whatever the timing.
   */
  private static final class Handoff {
    private ProbeResult delivered;
    private boolean abandoned;

    synchronized ProbeResult deliver(ProbeResult r) {
      if (abandoned) {
        r.connection().close();
      } else {
        delivered = r;
      }
      return r;
    }

    /** Gives up on the probe; returns its result if it was delivered in the meantime. */
    synchronized ProbeResult abandon() {
      abandoned = true;
      return delivered;
    }
  }
}
