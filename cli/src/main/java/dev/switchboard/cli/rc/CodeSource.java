package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Where {@code target} takes its code from: {@code --code}, stdin ({@code --code -}) or env. */
final class CodeSource {
  // A code is 11 characters; allow generous whitespace but never read an unbounded line.
  private static final int MAX_LINE = 256;

  private CodeSource() {}

  static String resolve(String option, InputStream stdin, String fromEnv) {
    if ("-".equals(option)) {
      return firstLine(stdin);
    }
    if (option != null) {
      return option;
    }
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    throw new CliException(
        ExitCodes.USAGE,
        "Missing required option: '--code=CODE' (or '--code -' for stdin, or "
            + TargetCommand.CODE_ENV
            + ")");
  }

  private static String firstLine(InputStream in) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
        if (line.size() == MAX_LINE) {
          throw new CliException(ExitCodes.USAGE, "--code -: the first line of stdin is too long");
        }
        line.write(b);
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "--code -: cannot read stdin: " + e.getMessage());
    }
    String code = line.toString(StandardCharsets.UTF_8).strip();
    if (code.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "--code -: no code on the first line of stdin");
    }
    return code;
  }
}
