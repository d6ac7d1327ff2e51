package dev.switchboard.cli.shell;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class LocalTerminalWithoutTerminalTest {
  @Test
  void openingWithoutATerminalSaysSo() {
    assumeFalse(LocalTerminal.isInteractive(), "the tests run on a terminal: nothing to check");
    assertThatThrownBy(LocalTerminal::open)
        .isInstanceOf(IOException.class)
        .hasMessage("standard input and output are not a terminal");
  }
}
