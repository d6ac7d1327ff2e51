package dev.switchboard.localnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AddressPlanTest {
  /** A topology with one region per POP prefix and one broker per region at 127.0.1.N. */
  static Topology topology(List<String> pops) {
    StringBuilder y = new StringBuilder("name: t\nregions:\n");
    for (int i = 0; i < pops.size(); i++) {
      y.append("  - {id: r").append(i).append(", pop: ").append(pops.get(i)).append("}\n");
    }
    y.append("latencyMs:\n");
    for (int i = 0; i < pops.size(); i++) {
      for (int j = i; j < pops.size(); j++) {
        y.append("  r").append(i).append("-r").append(j).append(": 10\n");
      }
    }
    y.append("brokers:\n");
    for (int i = 0; i < pops.size(); i++) {
      y.append("  - {id: b")
          .append(i + 1)
          .append(", region: r")
          .append(i)
          .append(", address: 127.0.1.")
          .append(i + 1)
          .append("}\n");
    }
    return Topology.parse(y.toString());
  }

  static List<String> pops(int first, int n) {
    return IntStream.range(first, first + n).mapToObj(i -> "127.0." + i).toList();
  }

  /** The third octets of the 127.0.x.y addresses the file itself names. */
  private static List<String> fileBlocks(Topology t) {
    return t.regions().stream().map(r -> t.simulation().pop(r.id()) + ".").toList();
  }

  private static void assertOwnAddressesAvoidTheFile(Topology t, AddressPlan plan) {
    Map<String, String> all = plan.listeners();
    List<String> file = fileBlocks(t);
    List<String> clashes =
        all.entrySet().stream()
            .filter(e -> !e.getValue().startsWith("broker ") && !e.getValue().contains("POP"))
            .filter(
                e ->
                    e.getKey().startsWith("127.0.1.")
                        || file.stream().anyMatch(e.getKey()::startsWith))
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.toList());
    assertThat(clashes).isEmpty();
  }

  @Test
  void popsWhereTheLoadBalancersUsedToBeAreLeftToThePops() {
    Topology t = topology(pops(20, 4)); // 127.0.20 - 127.0.23
    AddressPlan plan = new AddressPlan(t, 0);
    assertThat(plan.pop("r0", t.brokers().get(0))).isEqualTo("127.0.20.1");
    assertThat(plan.regionalAdmin("r0")).isEqualTo("127.0.24.250");
    assertThat(plan.regionalFrontend("r3", t.brokers().get(1))).isEqualTo("127.0.27.2");
    assertOwnAddressesAvoidTheFile(t, plan);
  }

  @Test
  void twelveRegionsGetTheirOwnBackboneAddresses() {
    Topology t = topology(pops(10, 12));
    AddressPlan plan = new AddressPlan(t, 3);
    // The old plan put backbone 1->0 and 0->10 both on 127.s.50.N.
    assertThat(plan.backbone("r1", "r0", t.brokers().get(0)))
        .isNotEqualTo(plan.backbone("r0", "r10", t.brokers().get(0)));
    assertThat(plan.listeners()).hasSize(12 * 3 + 12 * 2 + 12 * 12 * 3 + 12 * 12 * 12 * 2);
    assertThat(plan.listeners().keySet()).allMatch(a -> a.startsWith("127.3."));
    assertOwnAddressesAvoidTheFile(t, plan);
  }

  @Test
  void moreRegionsThanTheAddressSpaceHoldsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> new AddressPlan(topology(pops(100, 15)), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("15 regions: the local address plan needs 240 /24 blocks")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aPopOnTheBrokersAddressesIsRefusedNamingBothUses() {
    assertThatThrownBy(() -> new AddressPlan(topology(List.of("127.0.1", "127.0.11")), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "127.0.1.1:7443 would be both broker b1 (client port) and region r0's POP for b1"
                + " (client port)");
  }

  @Test
  void theSeedKeepsItsFileAddresses() {
    Topology t = topology(List.of("127.0.10", "127.0.11"));
    AddressPlan plan = new AddressPlan(t, 0);
    assertThat(plan.broker(t.brokers().get(0))).isEqualTo("127.0.1.1");
    assertThat(plan.pop("r1", t.brokers().get(0))).isEqualTo("127.0.11.1");
    assertThat(plan.regionalAdmin("r0")).isEqualTo("127.0.20.250");
    assertThat(plan.backbone("r1", "r1", t.brokers().get(1))).isEqualTo("127.0.25.2");
  }

  @Test
  void everyTierConnectsOutFromAnAddressOfItsOwnThatNothingListensOn() {
    Topology t = topology(List.of("127.0.10", "127.0.11"));
    AddressPlan plan = new AddressPlan(t, 5);
    assertThat(plan.popSource("r0")).isEqualTo("127.5.10.251");
    assertThat(plan.popSource("r1")).isEqualTo("127.5.11.251");
    assertThat(plan.regionalSource("r0")).isEqualTo("127.5.20.251");
    assertThat(plan.regionalSource("r1")).isEqualTo("127.5.21.251");
    List<String> listening =
        plan.listeners().keySet().stream().map(a -> a.substring(0, a.indexOf(':'))).toList();
    assertThat(listening)
        .doesNotContain(
            plan.popSource("r0"),
            plan.popSource("r1"),
            plan.regionalSource("r0"),
            plan.regionalSource("r1"));
  }
}
