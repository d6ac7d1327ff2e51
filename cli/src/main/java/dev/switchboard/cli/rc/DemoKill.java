package dev.switchboard.cli.rc;

import dev.switchboard.client.Blocking;
import dev.switchboard.client.Session;
import dev.switchboard.localnet.LocalTopology;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@code demo --kill-relay-broker}: the relaying broker dies mid-transfer; the session goes on. */
final class DemoKill {
  private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(90);

  private DemoKill() {}

  /** Kills the relay while data moves both ways; returns the bytes checked across the kill. */
  static long killRelay(LocalTopology net, Session ctl, Session tgt, Consumer<DemoRun.Step> live)
      throws Exception {
    String relay = tgt.brokerId();
    long pid = net.pid(relay);
    CompletableFuture<Long> moving =
        Blocking.supply(
            () -> {
              try {
                return DemoBytes.verify(ctl, tgt);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100); // mid-transfer
    long killed = System.nanoTime();
    net.killHard(relay);
    long checked = moving.get(PATIENCE_NANOS, TimeUnit.NANOSECONDS);
    while ((ctl.resumes() == 0 || tgt.resumes() == 0)
        && System.nanoTime() - killed < PATIENCE_NANOS) {
      Thread.sleep(10);
    }
    if (ctl.resumes() == 0 || tgt.resumes() == 0) {
      throw new IOException("the session did not resume after " + relay + " was killed");
    }
    Session.ResumeTiming c = ctl.lastResume();
    Session.ResumeTiming t = tgt.lastResume();
    long resumed = Math.max(c.resumedNanos(), t.resumedNanos());
    live.accept(
        new DemoRun.Step(
            "kill-relay",
            ms(resumed - killed),
            "kill -9 "
                + relay
                + " (pid "
                + pid
                + ") mid-transfer; both sides resumed via "
                + ctl.brokerId()
                + " (noticed after "
                + ms(Math.min(c.detectedNanos(), t.detectedNanos()) - killed)
                + " ms, TLS to "
                + ctl.brokerId()
                + " done after "
                + ms(Math.max(c.handshakeNanos(), t.handshakeNanos()) - killed)
                + " ms), generation "
                + ctl.generation()));
    long t0 = System.nanoTime();
    checked += DemoBytes.verify(ctl, tgt);
    live.accept(
        new DemoRun.Step(
            "verify",
            ms(System.nanoTime() - t0),
            checked + " bytes sent and checked (SHA-256) across the kill, none lost or repeated"));
    return checked;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
