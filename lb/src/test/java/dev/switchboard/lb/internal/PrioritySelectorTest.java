package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrioritySelectorTest {
  private static RuleBackend backend(String ip) {
    return new RuleBackend(
        "pool",
        ip,
        ip,
        new InetSocketAddress(ip, 1),
        null,
        new BackendCounters(new Metrics(), "r", "pool", ip));
  }

  private final RuleBackend a1 = backend("10.0.0.1");
  private final RuleBackend a2 = backend("10.0.0.2");
  private final RuleBackend b1 = backend("10.0.1.1");
  private final RuleBackend c1 = backend("10.0.2.1");
  private final Map<RuleBackend, Integer> prio = Map.of(a1, 0, a2, 0, b1, 1, c1, 7);
  private final PrioritySelector sel = new PrioritySelector(List.of(c1, b1, a2, a1), prio::get);

  @Test
  void spreadsFlowsOverTheLowestLevelOnly() {
    Set<RuleBackend> seen = new HashSet<>();
    for (long h = 0; h < 1000; h++) {
      seen.add(sel.select(FlowKey.fmix(h), 0, Set.of()));
    }
    assertThat(seen).containsExactlyInAnyOrder(a1, a2);
  }

  @Test
  void fallsThroughALevelOnlyWhenAllOfItIsExcluded() {
    for (long h = 0; h < 100; h++) {
      assertThat(sel.select(h, 1, Set.of(a1))).isEqualTo(a2);
      assertThat(sel.select(h, 2, Set.of(a1, a2))).isEqualTo(b1);
      assertThat(sel.select(h, 3, Set.of(a1, a2, b1))).isEqualTo(c1);
      assertThat(sel.select(h, 4, Set.of(a1, a2, b1, c1))).isNull();
    }
    assertThat(new PrioritySelector(List.of(), b -> 0).select(1, 0, Set.of())).isNull();
  }
}
