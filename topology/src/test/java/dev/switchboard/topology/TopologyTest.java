package dev.switchboard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TopologyTest {
  static final Path SEED = Path.of("..", "examples", "seed-topology.yaml");
  static final Path EXPANDED = Path.of("..", "examples", "expanded-topology.yaml");

  @Test
  void seedTopologyHasFourBrokersInTwoRegionsWithTheSeedLatencies() throws Exception {
    Topology t = Topology.load(SEED);
    assertThat(t.brokers()).extracting(Topology.BrokerSpec::id)
        .containsExactly("broker-us-1", "broker-us-2", "broker-in-3", "broker-in-4");
    assertThat(t.rttMs("us", "in")).isEqualTo(170);
    assertThat(t.rttMs("in", "us")).isEqualTo(170);
    assertThat(t.rttMs("in", "in")).isEqualTo(15);
    assertThat(t.broker("broker-in-3").orElseThrow().clientPort()).isEqualTo(7443);
    assertThat(t.popAddress("in", t.broker("broker-us-2").orElseThrow())).isEqualTo("127.0.11.2");
  }

  @Test
  void addingRegionsIsAConfigChange() throws Exception {
    Topology t = Topology.load(EXPANDED);
    assertThat(t.regions()).hasSize(5);
    assertThat(t.brokers()).hasSize(10);
    assertThat(t.rttMs("sg", "in")).isEqualTo(60);
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> Topology.parse("regions: [{id: us}]\nbrokers: [{id: b1, region: eu, address: 127.0.0.1}]"))
        .hasMessageContaining("unknown region 'eu'");
    assertThatThrownBy(() -> Topology.parse("regions: [{id: us}, {id: in}]\nlatencyMs: {us-us: 1, in-in: 1}\n"
        + "brokers: [{id: b1, region: us, address: 127.0.0.1}]"))
        .hasMessageContaining("no entry for us-in");
    assertThatThrownBy(() -> Topology.parse("regions: [{id: us}]\nlatencyMs: {us-us: 1}\nbrokers: [{id: b1, region: us}]"))
        .hasMessageContaining("has no 'address'");
  }
}
