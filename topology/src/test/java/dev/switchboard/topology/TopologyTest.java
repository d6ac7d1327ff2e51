package dev.switchboard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyTest {
  static final Path SEED = Path.of("..", "examples", "seed-topology.yaml");
  static final Path EXPANDED = Path.of("..", "examples", "expanded-topology.yaml");
  static final String REGIONS = "regions: [{id: us, pop: 127.0.10}]\nlatencyMs: {us-us: 1}\n";

  @TempDir Path dir;

  @Test
  void seedTopologyHasFourBrokersInTwoRegionsWithTheSeedLatencies() throws Exception {
    Topology t = Topology.load(SEED);
    assertThat(t.brokers())
        .extracting(Topology.BrokerSpec::id)
        .containsExactly("broker-us-1", "broker-us-2", "broker-in-3", "broker-in-4");
    assertThat(t.simulation().rttMs("us", "in")).isEqualTo(170);
    assertThat(t.simulation().rttMs("in", "us")).isEqualTo(170);
    assertThat(t.simulation().rttMs("in", "in")).isEqualTo(15);
    assertThat(t.broker("broker-in-3").orElseThrow().clientPort()).isEqualTo(7443);
    assertThat(t.broker("broker-us-2").orElseThrow().index()).isEqualTo(2);
    assertThat(t.simulation().pop("in")).isEqualTo("127.0.11");
  }

  @Test
  void addingRegionsIsAConfigChange() throws Exception {
    Topology t = Topology.load(EXPANDED);
    assertThat(t.regions()).hasSize(5);
    assertThat(t.brokers()).hasSize(10);
    assertThat(t.simulation().rttMs("sg", "in")).isEqualTo(60);
  }

  @Test
  void referencesBetweenPartsAreChecked() {
    assertThatThrownBy(
            () ->
                Topology.parse(
                    REGIONS
                        + "brokers: [{id: b1, region: us, address: 127.0.0.1}, {id: b2, region: eu, address: x}]"))
        .hasMessage("topology: brokers[1].region: unknown region 'eu' (known: [us])");
    assertThatThrownBy(
            () ->
                Topology.parse(
                    "regions: [{id: us}, {id: in}]\n"
                        + "latencyMs: {us-us: 1, in-in: 1}\nbrokers: [{id: b1, region: us, address: 127.0.0.1}]"))
        .hasMessage("topology: latencyMs: has no entry for us-in");
  }

  @Test
  void aWrongTypeNamesTheFileAndTheField() throws Exception {
    Path f = write(REGIONS + "ports: {client: seven}\nbrokers: [{id: b1, region: us, address: a}]");
    assertThatThrownBy(() -> Topology.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(f + ": ports.client: expected an integer, got the string \"seven\"");
  }

  @Test
  void anUnknownKeyNamesTheFileAndTheField() throws Exception {
    Path f = write(REGIONS + "brokers: [{id: b1, region: us, adress: 127.0.0.1}]");
    assertThatThrownBy(() -> Topology.load(f))
        .hasMessageStartingWith(f + ": brokers[0].adress: unknown field; expected one of [");
  }

  @Test
  void anOutOfRangeValueNamesTheFileAndTheField() throws Exception {
    Path f = write(REGIONS + "brokers: [{id: b1, region: us, address: a, meshPort: 70000}]");
    assertThatThrownBy(() -> Topology.load(f))
        .hasMessage(f + ": brokers[0].meshPort: must be a port 1-65535, got 70000");
    Path g =
        write(
            "regions: [{id: us}]\nlatencyMs: {us-us: -5}\n"
                + "brokers: [{id: b1, region: us, address: a}]");
    assertThatThrownBy(() -> Topology.load(g))
        .hasMessage(g + ": latencyMs.us-us: must be a round trip of 0-60000 ms, got -5");
  }

  @Test
  void aMissingRequiredFieldNamesTheFileAndTheField() throws Exception {
    Path f = write(REGIONS + "brokers: [{id: b1, region: us}]");
    assertThatThrownBy(() -> Topology.load(f))
        .hasMessage(f + ": brokers[0].address: required field is missing");
    Path g = write(REGIONS);
    assertThatThrownBy(() -> Topology.load(g))
        .hasMessage(g + ": brokers: required field is missing");
  }

  @Test
  void theSimulationRefusesARegionWithoutPop() {
    Topology t =
        Topology.parse(
            "regions: [{id: us}]\nlatencyMs: {us-us: 1}\n"
                + "brokers: [{id: b1, region: us, address: 127.0.0.1}]");
    assertThatThrownBy(() -> t.simulation().pop("us")).hasMessageContaining("no 'pop'");
  }

  private Path write(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "topology", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
