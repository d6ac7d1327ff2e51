package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.RefusedException;
import java.io.IOException;
import javax.net.ssl.SSLException;

/** Words a client failure for the user; the exit code comes from {@link ExitCodes#of}. */
final class Failures {
  private Failures() {}

  static CliException of(IOException e) {
    int code = ExitCodes.of(e);
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof RefusedException) {
      return new CliException(code, "refused: " + m, e);
    }
    if (e instanceof SSLException) {
      return new CliException(code, "TLS handshake failed: " + m, e);
    }
    if (code == ExitCodes.NETWORK) {
      return new CliException(code, "cannot reach broker: " + m, e);
    }
    return new CliException(code, m, e);
  }
}
