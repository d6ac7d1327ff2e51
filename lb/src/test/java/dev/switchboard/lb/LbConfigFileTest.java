package dev.switchboard.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake in an lb config file is reported with the file, the field and the reason. */
class LbConfigFileTest {
  private static final String BASE =
      String.join(
          "\n",
          "frontends: [{name: fe, ip: 127.0.0.1}]",
          "pools: [{name: p, backends: [{ip: 127.0.0.2}]}]",
          "probes: [{name: h, interval: 5s}]",
          "");

  @TempDir Path dir;

  @Test
  void theExampleLoadsAndRoundTrips() throws Exception {
    LbConfig c = LbConfig.load(Path.of("..", "examples", "lb.yaml"));
    assertThat(c.rules().get(0).distribution()).isEqualTo(Distribution.SOURCE_IP);
    assertThat(c.probes().get(0).interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(LbConfig.parse(c.toYaml())).isEqualTo(c);
  }

  @Test
  void aWrongType() throws Exception {
    Path f =
        write(
            BASE
                + "rules: [{name: r, frontend: fe, pool: p, backendPort: 80,"
                + " connectAttempts: three}]");
    assertThatThrownBy(() -> LbConfig.load(f))
        .isInstanceOfSatisfying(
            LbException.class, e -> assertThat(e.code()).isEqualTo(LbException.Code.INVALID))
        .hasMessage(
            f + ": rules[0].connectAttempts: expected an integer, got the string \"three\"");
  }

  @Test
  void aBareNumberDurationIsNoLongerSeconds() throws Exception {
    Path f =
        write(
            BASE
                + "rules: [{name: r, frontend: fe, pool: p, backendPort: 80,"
                + " idleTimeout: 30}]");
    assertThatThrownBy(() -> LbConfig.load(f))
        .hasMessage(
            f + ": rules[0].idleTimeout: a duration needs a unit: write 30s or 30ms, not 30");
  }

  @Test
  void anUnknownKey() throws Exception {
    Path f = write(BASE.replace("interval: 5s", "interval: 5s, treshold: 3") + "rules: []");
    assertThatThrownBy(() -> LbConfig.load(f))
        .hasMessageStartingWith(f + ": probes[0].treshold: unknown field; expected one of [")
        .hasMessageContaining("threshold");
  }

  @Test
  void anOutOfRangeValue() throws Exception {
    Path f =
        write(
            BASE
                + "rules: [{name: r, frontend: fe, pool: p, backendPort: 80,"
                + " connectTimeout: 3000000s}]");
    assertThatThrownBy(() -> LbConfig.load(f))
        .hasMessage(f + ": rules[0].connectTimeout: must be at most 10m, got 3000000s");
    Path g = write(BASE + "rules: [{name: r, frontend: fe, pool: p, backendPort: 70000}]");
    assertThatThrownBy(() -> LbConfig.load(g))
        .hasMessage(g + ": rules[0].backendPort: must be 1-65535, got 70000");
  }

  @Test
  void aMissingRequiredField() throws Exception {
    Path f = write(BASE + "rules: [{name: r, frontend: fe, backendPort: 80}]");
    assertThatThrownBy(() -> LbConfig.load(f))
        .hasMessage(f + ": rules[0].pool: required field is missing");
  }

  @Test
  void aBadEnumValueAndAReferenceToNothing() throws Exception {
    Path f =
        write(
            BASE
                + "rules: [{name: r, frontend: fe, pool: p, backendPort: 80,"
                + " protocol: sctp}]");
    assertThatThrownBy(() -> LbConfig.load(f))
        .hasMessage(f + ": rules[0].protocol: protocol must be tcp, udp or all, got 'sctp'");
    Path g = write(BASE + "rules: [{name: r, frontend: fe, pool: ghost, backendPort: 80}]");
    assertThatThrownBy(() -> LbConfig.load(g))
        .hasMessage(g + ": rule 'r' names unknown pool 'ghost'");
  }

  private Path write(String yaml) throws Exception {
    Path f = Files.createTempFile(dir, "lb", ".yaml");
    Files.writeString(f, yaml);
    return f;
  }
}
