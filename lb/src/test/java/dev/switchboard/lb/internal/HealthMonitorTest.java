package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
  private final ManualScheduler clock = new ManualScheduler();
  private volatile boolean healthy = true;
  private final List<Boolean> changes = new ArrayList<>();
  private final ProbeConfig probe = ProbeConfig.tcp("p", Duration.ofSeconds(5), 3);
  private final HealthMonitor monitor =
      new HealthMonitor(
          new HealthKey("p", "127.0.0.1", 80),
          probe,
          (t, p) -> CompletableFuture.completedFuture(healthy),
          clock,
          new Metrics(),
          (k, up) -> changes.add(up));

  @Test
  void thresholdConsecutiveFailuresMarkDownAndSuccessesMarkUp() {
    monitor.start();
    clock.advance(Duration.ZERO);
    assertThat(monitor.isUp()).isTrue();
    healthy = false;
    clock.advance(Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(5));
    assertThat(monitor.isUp()).as("after n-1 failures").isTrue();
    assertThat(changes).isEmpty();
    clock.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(monitor.isUp()).as("1 ns before the n-th probe").isTrue();
    clock.advance(Duration.ofNanos(1));
    assertThat(monitor.isUp()).as("after the n-th failure").isFalse();
    assertThat(changes).containsExactly(false);

    healthy = true;
    clock.advance(Duration.ofSeconds(10));
    assertThat(monitor.isUp()).as("after n-1 successes").isFalse();
    clock.advance(Duration.ofSeconds(5));
    assertThat(monitor.isUp()).as("after n successes").isTrue();
    assertThat(changes).containsExactly(false, true);
  }

  @Test
  void aSuccessInTheMiddleResetsTheStreak() {
    monitor.start();
    clock.advance(Duration.ZERO);
    healthy = false;
    clock.advance(Duration.ofSeconds(10));
    healthy = true;
    clock.advance(Duration.ofSeconds(5));
    healthy = false;
    clock.advance(Duration.ofSeconds(10));
    assertThat(monitor.isUp()).isTrue();
    clock.advance(Duration.ofSeconds(5));
    assertThat(monitor.isUp()).isFalse();
  }

  @Test
  void stopCancelsFurtherProbes() {
    int[] probes = {0};
    HealthMonitor m =
        new HealthMonitor(
            new HealthKey("p", "127.0.0.1", 81),
            probe,
            (t, p) -> {
              probes[0]++;
              return CompletableFuture.completedFuture(true);
            },
            clock,
            new Metrics(),
            (k, up) -> {});
    m.start();
    clock.advance(Duration.ofSeconds(12));
    assertThat(probes[0]).isEqualTo(3);
    m.stop();
    clock.advance(Duration.ofSeconds(60));
    assertThat(probes[0]).isEqualTo(3);
  }
}
