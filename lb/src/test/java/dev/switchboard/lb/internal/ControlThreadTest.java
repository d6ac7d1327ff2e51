package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.time.ManualScheduler;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control-thread contract is checked: confined methods refuse to run on any other thread. */
class ControlThreadTest {
  private LbEngine engine;

  @BeforeEach
  void setUp() {
    Transport t = Transport.detect();
    engine =
        new LbEngine(
            t,
            t.newGroup(1),
            true,
            new ManualScheduler(),
            p -> (target, probe) -> CompletableFuture.completedFuture(true));
    LbConfig c =
        LbConfig.empty()
            .withFrontend(new FrontendConfig("fe", "127.0.32.1"))
            .withPool(PoolConfig.of("pool", Backend.of("127.0.33.1")))
            .withRule(RuleConfig.builder("r").frontend("fe").pool("pool").backendPort(9).build());
    engine.call(
        () -> {
          engine.apply(c);
          return null;
        });
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  @Test
  void confinedMethodsRunThroughCall() {
    assertThat(engine.call(() -> engine.eligible("r"))).containsExactly("127.0.33.1");
    assertThat(engine.call(engine::health)).hasSize(1);
  }

  @Test
  void readingTheModelFromAForeignThreadThrowsNamingBothThreads() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread foreign =
        new Thread(
            () -> {
              try {
                engine.eligible("r");
              } catch (Throwable e) {
                thrown.set(e);
              }
            },
            "foreign-caller");
    foreign.start();
    foreign.join();
    assertThat(thrown.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must run on the load balancer control thread (lb-control)")
        .hasMessageContaining("not on 'foreign-caller'");
  }

  @Test
  void everyConfinedOperationChecksItsThread() {
    String expected = "must run on the load balancer control thread";
    assertThatThrownBy(() -> engine.config()).hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.apply(LbConfig.empty())).hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.addBackend("pool", Backend.of("127.0.33.2"), Optional.empty()))
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.renew("pool", "127.0.33.1")).hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.removeBackend("pool", "127.0.33.1"))
        .hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.members("pool")).hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.health()).hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.backendCount("r")).hasMessageContaining(expected);
    assertThatThrownBy(() -> engine.frontendAddress("r")).hasMessageContaining(expected);
    // None of the refused calls changed anything.
    assertThat(engine.call(() -> engine.members("pool")))
        .extracting(m -> m.backend.ip())
        .containsExactly("127.0.33.1");
  }

  @Test
  void aControlThreadThatNeverRanRefusesEveryCaller() {
    Transport t = Transport.detect();
    var group = t.newGroup(1);
    try {
      ControlThread ctl = new ControlThread(group);
      assertThatThrownBy(ctl::check)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not on '" + Thread.currentThread().getName() + "'");
      assertThat(
              ctl.call(
                  () -> {
                    ctl.check();
                    return Thread.currentThread().getName();
                  }))
          .isEqualTo(ControlThread.NAME);
      ctl.shutdown();
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
