package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.lb.Backend;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import dev.switchboard.time.ManualScheduler;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LbEngine#port(String, Protocol)} answers only for a protocol the rule listens on. */
class EnginePortTest {
  private final Transport transport = Transport.detect();
  private final LbEngine engine =
      new LbEngine(
          transport,
          transport.newGroup(1),
          true,
          new ManualScheduler(),
          p -> (target, probe) -> CompletableFuture.completedFuture(true));

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private RuleConfig rule(String name, Protocol protocol) {
    return RuleConfig.builder(name)
        .frontend("fe")
        .pool("pool")
        .backendPort(9)
        .protocol(protocol)
        .build();
  }

  @Test
  void aRuleHasAPortOnlyForTheProtocolsItListensOn() {
    LbConfig c =
        LbConfig.empty()
            .withFrontend(new FrontendConfig("fe", "127.0.32.1"))
            .withPool(PoolConfig.of("pool", Backend.of("127.0.33.1")))
            .withRule(rule("t", Protocol.TCP))
            .withRule(rule("u", Protocol.UDP))
            .withRule(rule("a", Protocol.ALL));
    engine.call(
        () -> {
          engine.apply(c);
          return null;
        });

    int t = engine.call(() -> engine.port("t", Protocol.TCP));
    int u = engine.call(() -> engine.port("u", Protocol.UDP));
    int a = engine.call(() -> engine.port("a", Protocol.ALL));
    assertThat(t).isEqualTo(engine.call(() -> engine.port("t"))).isPositive();
    assertThat(u).isEqualTo(engine.call(() -> engine.port("u"))).isPositive();
    assertThat(engine.call(() -> engine.port("a", Protocol.TCP))).isEqualTo(a);
    assertThat(engine.call(() -> engine.port("a", Protocol.UDP))).isEqualTo(a);

    assertThatThrownBy(() -> engine.call(() -> engine.port("t", Protocol.UDP)))
        .isInstanceOf(LbException.class)
        .hasMessage("rule 't' listens on tcp, not udp")
        .extracting(e -> ((LbException) e).code())
        .isEqualTo(LbException.Code.NOT_FOUND);
    assertThatThrownBy(() -> engine.call(() -> engine.port("u", Protocol.TCP)))
        .hasMessage("rule 'u' listens on udp, not tcp");
    assertThatThrownBy(() -> engine.call(() -> engine.port("u", Protocol.ALL)))
        .hasMessage("rule 'u' listens on udp, not all");
  }
}
