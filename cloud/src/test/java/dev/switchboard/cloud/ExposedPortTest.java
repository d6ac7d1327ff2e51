package dev.switchboard.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExposedPortTest {

  @Test
  void parsesOnePortAndNamesItsRuleAsTheSeedDoes() {
    assertThat(ExposedPort.parse("5060:udp")).containsExactly(new ExposedPort(5060, Protocol.UDP));
    assertThat(ExposedPort.parse("5060:TCP").get(0).ruleName()).isEqualTo("rule-5060-TCP");
    assertThat(ExposedPort.parse("5060:udp").get(0).ruleName()).isEqualTo("rule-5060-UDP");
  }

  @Test
  void expandsARangeOfAtMostAHundredPorts() {
    assertThat(ExposedPort.parse("10000-10010:udp"))
        .hasSize(11)
        .last()
        .isEqualTo(new ExposedPort(10010, Protocol.UDP));
    assertThat(ExposedPort.parse("1-100:tcp")).hasSize(100);
    assertThatThrownBy(() -> ExposedPort.parse("1-101:tcp")).hasMessageContaining("at most 100");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0:udp", "65536:tcp", "5060", "5060:sctp", ":udp", "abc:tcp", "10-5:udp", "5060:"})
  void refusesBadSyntaxWithAnInvalidError(String spec) {
    assertThatThrownBy(() -> ExposedPort.parse(spec))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID));
  }

  @Test
  void acceptsTheEdgesOfThePortRange() {
    assertThat(ExposedPort.parse("1:tcp")).hasSize(1);
    assertThat(ExposedPort.parse("65535:udp")).hasSize(1);
  }

  @Test
  void refusesAPortExposedTwice() {
    assertThatThrownBy(() -> ExposedPort.parseAll(List.of("5060:udp", "5000-5070:udp")))
        .hasMessageContaining("5060/udp is exposed twice");
    assertThat(ExposedPort.parseAll(List.of("5060:udp", "5060:tcp"))).hasSize(2);
  }
}
