package dev.switchboard.bench;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.pki.Role;
import dev.switchboard.topology.Topology;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time from a relaying broker's death ({@code kill -9} of its process) to the first byte flowing
 * again, on the seed topology's full path (POP → backbone → regional lb → broker), broken into the
 * steps of each side's resumption: detection (the broken relay noticed), reconnect (TCP to the
 * broker that took over), TLS handshake, re-attach (SESSION_RESUMED: both sides came), then the
 * first echoed byte. The controller (alice, region us) sends an 8-byte sequence number every 10 ms;
 * the target (t1, region in, pinned to broker-in-3) echoes it.
 *
 * <p>Usage: {@code java -cp bench.jar dev.switchboard.bench.ResumeBench [ROUNDS]
 * [GLOBAL_PROBE_SECONDS] [RELAY_BROKER]}
 */
public final class ResumeBench {
  private ResumeBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int probeSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String relay = args.length > 2 ? args[2] : "broker-in-3";
    Topology t = Topology.load(Path.of("examples", "seed-topology.yaml"));
    LocalTopology.Options opts =
        LocalTopology.Options.fullPath(231)
            .withProbes(Duration.ofSeconds(probeSeconds), Duration.ofSeconds(1))
            .withBrokerProcesses(true);
    System.out.printf(
        "resumption after kill -9 of the relaying broker; seed topology full path, brokers in"
            + " processes of their own, global probe %d s, regional probe 1 s%n",
        probeSeconds);
    System.out.println(
        "round side        detect  connect      tls  resumed  first-byte  attempts  (ms after the"
            + " kill)");
    try (LocalTopology net = LocalTopology.start(t, Files.createTempDirectory("resume"), opts)) {
      ClientOptions alice = net.client(Role.CONTROLLER, "alice");
      ClientOptions t1 = net.client(Role.TARGET, "t1");
      for (int round = 1; round <= rounds; round++) {
        round(net, alice, t1, round, relay);
        net.startBroker(relay);
        net.awaitReady(Duration.ofSeconds(90));
      }
    }
  }

  private static void round(
      LocalTopology net, ClientOptions alice, ClientOptions t1, int round, String relay)
      throws Exception {
    BrokerEndpoint in3 = net.endpoint("in", relay);
    Controller c =
        Controller.requestCode(
            alice, net.endpoint("us", "broker-us-1"), net.resolver("us"), SessionEvents.NONE);
    CompletableFuture<Session> cs =
        Blocking.supply(
            () -> {
              try {
                return c.awaitSession();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Session tgt = Target.join(t1, List.of(in3), c.code(), SessionEvents.NONE);
    Session ctl = cs.get(30, TimeUnit.SECONDS);
    AtomicLong lastEcho = new AtomicLong();
    AtomicLong lastEchoNanos = new AtomicLong();
    Thread echo = daemon(() -> echo(tgt));
    Thread reader = daemon(() -> readEchoes(ctl, lastEcho, lastEchoNanos));
    AtomicLong sent = new AtomicLong();
    Thread writer = daemon(() -> sendTicks(ctl, sent));
    Thread.sleep(1000);
    long killed = System.nanoTime();
    long sentBefore = sent.get(); // an echo of a later tick went through the new relay
    net.killHard(relay);
    long deadline = killed + TimeUnit.SECONDS.toNanos(90);
    while (lastEcho.get() <= sentBefore && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long firstByte = lastEchoNanos.get();
    report(round, "controller", ctl, killed, firstByte);
    report(round, "target", tgt, killed, firstByte);
    System.out.printf("      relay now %s; generation %d%n", ctl.brokerId(), ctl.generation());
    writer.interrupt();
    ctl.close();
    tgt.close();
    c.close();
    reader.join(5000);
    echo.join(5000);
  }

  private static void report(int round, String side, Session s, long killed, long firstByte) {
    Session.ResumeTiming r = s.lastResume();
    if (r == null) {
      System.out.printf("%5d %-10s  did not resume%n", round, side);
      return;
    }
    System.out.printf(
        "%5d %-10s %7.0f %8.0f %8.0f %8.0f %11.0f %9d%n",
        round,
        side,
        ms(r.detectedNanos() - killed),
        ms(r.connectedNanos() - killed),
        ms(r.handshakeNanos() - killed),
        ms(r.resumedNanos() - killed),
        ms(firstByte - killed),
        r.attempts());
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void sendTicks(Session ctl, AtomicLong sent) {
    try {
      DataOutputStream out = new DataOutputStream(ctl.output());
      for (long i = 1; ; i++) {
        sent.set(i);
        out.writeLong(i);
        out.flush();
        Thread.sleep(10);
      }
    } catch (Exception e) {
      // stopped
    }
  }

  private static void echo(Session tgt) {
    try {
      byte[] buf = new byte[8192];
      int n;
      while ((n = tgt.input().read(buf)) >= 0) {
        tgt.output().write(buf, 0, n);
        tgt.output().flush();
      }
    } catch (Exception e) {
      // ended
    }
  }

  private static void readEchoes(Session ctl, AtomicLong last, AtomicLong at) {
    try {
      DataInputStream in = new DataInputStream(ctl.input());
      while (true) {
        long v = in.readLong();
        last.set(v);
        at.set(System.nanoTime());
      }
    } catch (Exception e) {
      // ended
    }
  }
}
