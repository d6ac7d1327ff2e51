package dev.switchboard.lb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaglevTest {
  private static List<String> ips(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add("10.0.0." + i);
    }
    return out;
  }

  @Test
  void everyBackendGetsANearlyEqualShare() {
    Maglev m = Maglev.build(ips(5));
    int[] count = new int[5];
    for (long h = 0; h < 100_000; h++) {
      count[m.lookup(FlowKey.fmix(h))]++;
    }
    for (int c : count) {
      assertThat(c).isBetween(18_000, 22_000);
    }
  }

  @Test
  void removingOneBackendMovesOnlyItsFlowsAndFewOthers() {
    List<String> before = ips(5);
    List<String> after = new ArrayList<>(before);
    after.remove("10.0.0.3");
    Maglev a = Maglev.build(before);
    Maglev b = Maglev.build(after);
    int moved = 0;
    int total = 100_000;
    for (long h = 0; h < total; h++) {
      long k = FlowKey.fmix(h);
      String was = before.get(a.lookup(k));
      String now = after.get(b.lookup(k));
      if (!was.equals("10.0.0.3") && !was.equals(now)) {
        moved++;
      }
    }
    // Maglev trades a little disruption for balance; far below the 80% a modulo hash would move.
    assertThat(moved).isLessThan(total / 20);
  }

  @Test
  void emptyTableSelectsNothing() {
    assertThat(Maglev.build(List.of()).lookup(42)).isEqualTo(-1);
  }
}
