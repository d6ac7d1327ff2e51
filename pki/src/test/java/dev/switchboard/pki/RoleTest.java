package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void idsAreLowerCase() {
    assertThat(Role.BROKER.id()).isEqualTo("broker");
    assertThat(Role.CONTROLLER.id()).isEqualTo("controller");
    assertThat(Role.TARGET.id()).isEqualTo("target");
  }

  @Test
  void parseIgnoresCase() {
    assertThat(Role.parse("Broker")).isEqualTo(Role.BROKER);
    assertThat(Role.parse("CONTROLLER")).isEqualTo(Role.CONTROLLER);
    assertThat(Role.parse("target")).isEqualTo(Role.TARGET);
  }

  @Test
  void parseRejectsUnknownWithClearMessage() {
    assertThatThrownBy(() -> Role.parse("admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown role 'admin' (expected broker, controller or target)");
    assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
