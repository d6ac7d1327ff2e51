package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigMapperTest {
  record Probe(@DurationRange(min = "1ms", max = "1h") Duration interval, Integer threshold) {}

  // Optional scalars are boxed: a missing primitive counts as null, which is refused.
  record Rule(
      @JsonProperty(required = true) String name,
      Probe probe,
      Boolean tcpReset,
      Integer port,
      int weight) {
    Rule {
      port = port == null ? 0 : port;
      if (port < 0 || port > 65535) {
        throw ConfigException.field("port", "must be 0-65535, got " + port);
      }
    }
  }

  record Doc(String name, List<Rule> rules) {}

  private static Doc read(String yaml) {
    return ConfigMapper.readYaml("lb.yaml", yaml, Doc.class);
  }

  @Test
  void readsRecordsWithDurations() {
    Doc d =
        read(
            "name: x\nrules: [{name: r, probe: {interval: 5s, threshold: 2}, port: 80, weight: 1}]");
    assertThat(d.rules().get(0).probe().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.rules().get(0).port()).isEqualTo(80);
  }

  @Test
  void aBareNumberDurationNamesTheFieldPath() {
    assertThatThrownBy(
            () -> read("rules: [{name: a, weight: 1}, {name: b, probe: {interval: 30}}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "lb.yaml: rules[1].probe.interval: a duration needs a unit: write 30s or 30ms,"
                + " not 30");
  }

  @Test
  void aDurationAboveItsBoundIsRefused() {
    assertThatThrownBy(() -> read("rules: [{name: a, probe: {interval: 3000000s}}]"))
        .hasMessage("lb.yaml: rules[0].probe.interval: must be at most 1h, got 3000000s");
  }

  @Test
  void anUnknownKeyIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> read("rules: [{name: a, weight: 1, tcpRest: true}]"))
        .hasMessage(
            "lb.yaml: rules[0].tcpRest: unknown field; expected one of"
                + " [name, port, probe, tcpReset, weight]");
  }

  @Test
  void wrongTypesAreNotCoerced() {
    assertThatThrownBy(() -> read("rules: [{name: a, probe: {threshold: ten}}]"))
        .hasMessage(
            "lb.yaml: rules[0].probe.threshold: expected an integer, got the string \"ten\"");
    assertThatThrownBy(() -> read("rules: [{name: a, probe: {threshold: \"10\"}}]"))
        .hasMessageContaining("rules[0].probe.threshold: expected an integer");
    assertThatThrownBy(() -> read("rules: [{name: a, tcpReset: \"yes\"}]"))
        .hasMessageContaining("rules[0].tcpReset: expected true or false");
    assertThatThrownBy(() -> read("rules: [{name: 12}]"))
        .hasMessageContaining("rules[0].name: expected a string, got the number 12");
    assertThatThrownBy(() -> read("rules: {name: a}"))
        .hasMessageContaining("rules: expected a list, got a mapping");
    assertThatThrownBy(() -> read("rules: [{name: a, weight: ~}]"))
        .hasMessage("lb.yaml: rules[0].weight: expected an integer, got nothing (null)");
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    assertThatThrownBy(() -> read("rules: [{port: 1, weight: 1}]"))
        .hasMessage("lb.yaml: rules[0].name: required field is missing");
    assertThatThrownBy(() -> read("rules: [{name: a}]"))
        .hasMessage("lb.yaml: rules[0].weight: required field is missing");
  }

  @Test
  void aMisspelledKeyIsBlamedRatherThanTheFieldItMisses() {
    assertThatThrownBy(() -> read("rules: [{nmae: a, weight: 1}]"))
        .hasMessage(
            "lb.yaml: rules[0].nmae: unknown field; expected one of"
                + " [name, port, probe, tcpReset, weight]");
  }

  @Test
  void aCompactConstructorsRefusalGetsThePath() {
    assertThatThrownBy(
            () -> read("rules: [{name: a, weight: 1}, {name: b, port: 70000, weight: 1}]"))
        .hasMessage("lb.yaml: rules[1].port: must be 0-65535, got 70000");
  }

  @Test
  void syntaxErrorsAndEmptyDocumentsNameTheSource() {
    assertThatThrownBy(() -> read("rules: [{name: a"))
        .hasMessageStartingWith("lb.yaml: not valid YAML/JSON");
    assertThatThrownBy(() -> read("  \n"))
        .hasMessage("lb.yaml: empty document; expected a mapping");
    assertThatThrownBy(
            () -> ConfigMapper.readJson("request body", "{\"name\": \"a\"} x", Doc.class))
        .hasMessageStartingWith("request body: ");
  }

  @Test
  void aKeyGivenTwiceIsRefused() {
    assertThatThrownBy(() -> read("name: a\nname: b\n"))
        .hasMessageStartingWith("lb.yaml: not valid YAML/JSON")
        .hasMessageContaining("name");
  }

  @Test
  void filesAreNamedByTheirPath(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.yaml");
    Files.writeString(f, "name: [1]\n");
    assertThatThrownBy(() -> ConfigMapper.read(f, Doc.class))
        .hasMessage(f + ": name: expected a string, got a list");
    assertThatThrownBy(() -> ConfigMapper.read(dir.resolve("nope.yaml"), Doc.class))
        .hasMessage(dir.resolve("nope.yaml") + ": no such file");
  }

  @Test
  void durationsAreWrittenInTheSameSyntax() throws Exception {
    String json = ConfigMapper.json().writeValueAsString(new Probe(Duration.ZERO, 1));
    assertThat(json).isEqualTo("{\"interval\":\"0s\",\"threshold\":1}");
  }
}
