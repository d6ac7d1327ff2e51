package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.RefusedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Maps client failures to the documented exit codes. */
final class Failures {
  private Failures() {}

  static CliException of(IOException e) {
    if (e instanceof RefusedException r) {
      return new CliException(ExitCodes.REFUSED, "refused: " + r.getMessage(), e);
    }
    if (e instanceof ConnectException
        || e instanceof SocketTimeoutException
        || e instanceof UnknownHostException) {
      return new CliException(ExitCodes.NETWORK, "cannot reach broker: " + e.getMessage(), e);
    }
    if (e instanceof SSLException) {
      return new CliException(ExitCodes.NETWORK, "TLS handshake failed: " + e.getMessage(), e);
    }
    return new CliException(
        ExitCodes.RUNTIME, e.getMessage() == null ? e.toString() : e.getMessage(), e);
  }
}
