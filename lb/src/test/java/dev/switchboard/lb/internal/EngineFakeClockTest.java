package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases and probe-driven eligibility with time under test control. */
class EngineFakeClockTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final Set<String> dead = ConcurrentHashMap.newKeySet();
  private LbEngine engine;

  @BeforeEach
  void setUp() {
    Transport t = Transport.detect();
    engine =
        new LbEngine(
            t,
            t.newGroup(1),
            true,
            clock,
            p ->
                (target, probe) ->
                    CompletableFuture.completedFuture(
                        !dead.contains(target.getAddress().getHostAddress())));
    LbConfig c =
        LbConfig.empty()
            .withFrontend(new FrontendConfig("fe", "127.0.30.1"))
            .withPool(PoolConfig.of("pool", Backend.of("127.0.31.1")))
            .withProbe(ProbeConfig.tcp("probe", Duration.ofSeconds(5), 2))
            .withRule(
                RuleConfig.builder("r")
                    .frontend("fe")
                    .pool("pool")
                    .backendPort(9)
                    .probe("probe")
                    .build());
    run(() -> engine.apply(c));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private void run(Runnable r) {
    engine.call(
        () -> {
          r.run();
          return null;
        });
  }

  private List<String> members() {
    return engine.call(() -> engine.members("pool").stream().map(m -> m.backend.ip()).toList());
  }

  /**
   * Moves time on the control thread, then lets it run what the timers queued there. Advancing from
   * the test thread raced the control thread: a lease re-armed while time was still moving read the
   * clock twice and landed late (seen as an intermittent failure).
   */
  private void advance(Duration d) {
    run(() -> clock.advance(d));
    run(() -> {});
  }

  @Test
  void leasedBackendIsRemovedUnlessRenewed() {
    run(
        () ->
            engine.addBackend(
                "pool", Backend.of("127.0.31.2"), Optional.of(Duration.ofSeconds(30))));
    advance(Duration.ofSeconds(29));
    assertThat(members()).contains("127.0.31.2");
    run(() -> engine.renew("pool", "127.0.31.2"));
    advance(Duration.ofSeconds(29));
    assertThat(members()).as("renewed at 29s, so alive at 58s").contains("127.0.31.2");
    advance(Duration.ofSeconds(1));
    assertThat(members()).as("expired at 59s").containsExactly("127.0.31.1");
    assertThat(engine.call(() -> engine.config().pools().get(0).backends()))
        .as("leased backends are not part of the static config")
        .extracting(Backend::ip)
        .containsExactly("127.0.31.1");
  }

  @Test
  void reAddingWithoutLeaseMakesABackendPermanent() {
    run(
        () ->
            engine.addBackend(
                "pool", Backend.of("127.0.31.3"), Optional.of(Duration.ofSeconds(10))));
    run(() -> engine.addBackend("pool", Backend.of("127.0.31.3"), Optional.empty()));
    advance(Duration.ofSeconds(60));
    assertThat(members()).contains("127.0.31.3");
  }

  @Test
  void downBackendLeavesTheRuleWithinIntervalTimesThreshold() {
    run(() -> engine.addBackend("pool", Backend.of("127.0.31.4"), Optional.empty()));
    advance(Duration.ZERO);
    assertThat(up("127.0.31.4")).isTrue();
    dead.add("127.0.31.4");
    advance(Duration.ofSeconds(5));
    assertThat(up("127.0.31.4")).as("one failure of two").isTrue();
    assertThat(eligible()).contains("127.0.31.4");
    advance(Duration.ofSeconds(5));
    assertThat(up("127.0.31.4")).as("second failure").isFalse();
    assertThat(eligible()).containsExactly("127.0.31.1");
    dead.clear();
    advance(Duration.ofSeconds(10));
    assertThat(eligible()).contains("127.0.31.4");
  }

  private boolean up(String ip) {
    return engine.call(engine::health).stream()
        .filter(h -> h.ip().equals(ip))
        .map(BackendHealth::up)
        .findFirst()
        .orElseThrow();
  }

  private List<String> eligible() {
    return engine.call(() -> engine.eligible("r"));
  }
}
