package dev.switchboard.cli.shell;

import java.util.EnumSet;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.ControlFlag;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;

/**
 * The settings of cfmakeraw(3), as ssh uses them for a remote shell. JLine's own enterRawMode()
 * keeps ISIG and OPOST: Ctrl-C would stop this process instead of reaching the remote program.
 */
final class RawMode {
  private RawMode() {}

  static Attributes of(Attributes original) {
    Attributes raw = new Attributes(original);
    raw.setInputFlags(
        EnumSet.of(
            InputFlag.IGNBRK,
            InputFlag.BRKINT,
            InputFlag.PARMRK,
            InputFlag.ISTRIP,
            InputFlag.INLCR,
            InputFlag.IGNCR,
            InputFlag.ICRNL,
            InputFlag.IXON),
        false);
    raw.setOutputFlag(OutputFlag.OPOST, false);
    raw.setLocalFlags(
        EnumSet.of(
            LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG, LocalFlag.IEXTEN),
        false);
    raw.setControlFlag(ControlFlag.PARENB, false);
    raw.setControlFlag(ControlFlag.CS8, true);
    // Block until at least one byte: no polling in the terminal driver.
    raw.setControlChar(ControlChar.VMIN, 1);
    raw.setControlChar(ControlChar.VTIME, 0);
    return raw;
  }
}
