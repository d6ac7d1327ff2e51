package dev.switchboard.cli;

import dev.switchboard.client.RefusedException;
import dev.switchboard.config.ConfigException;
import dev.switchboard.pki.CredentialException;
import java.io.FileNotFoundException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import javax.net.ssl.SSLException;
import picocli.CommandLine.ParameterException;

/**
 * The documented process exit codes (docs/operations.md "Exit codes") and the one mapping from a
 * failure to its code that every command uses.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** A runtime failure, including a session ended by the peer or the broker (both sides). */
  public static final int RUNTIME = 1;

  public static final int USAGE = 2;

  /** Configuration, file or precondition error, including a port already in use. */
  public static final int CONFIG = 3;

  public static final int REFUSED = 4;
  public static final int NETWORK = 5;

  private ExitCodes() {}

  /** The exit code for a failure; a {@link CliException} carries its own. */
  public static int of(Throwable t) {
    if (t instanceof CliException c) {
      return c.exitCode();
    }
    if (t instanceof ConfigException) { // an IllegalArgumentException, but about a file
      return CONFIG;
    }
    if (t instanceof ParameterException || t instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (t instanceof RefusedException) {
      return REFUSED;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) { // often wrapped: "broker b1 could not start: ..."
        return CONFIG;
      }
    }
    if (t instanceof NoSuchFileException
        || t instanceof FileNotFoundException
        || t instanceof CredentialException) {
      return CONFIG;
    }
    if (t instanceof ConnectException
        || t instanceof SocketTimeoutException
        || t instanceof UnknownHostException
        || t instanceof SSLException) {
      return NETWORK;
    }
    return RUNTIME;
  }

  /**
   * The failure for a session the peer or the broker ended other than normally: the same code on
   * both sides, and the broker's reason code and sentence.
   */
  public static CliException sessionEnded(RefusedException reason) {
    return new CliException(
        RUNTIME,
        "session ended: "
            + reason.code().name()
            + " — "
            + reason.getMessage().substring(reason.code().name().length() + 2),
        reason);
  }

  /**
   * The failure for the one stream of a stdin/stdout controller that the target refused: exit 1,
   * like a session that ended abnormally, with the target's code and sentence.
   */
  public static CliException streamRefused(RefusedException reason) {
    return new CliException(RUNTIME, "stream refused: " + describe(reason), reason);
  }

  /** The failure for the one stream of a stdin/stdout controller that the target reset. */
  public static CliException streamEnded(RefusedException reason) {
    return new CliException(RUNTIME, "stream ended: " + describe(reason), reason);
  }

  private static String describe(RefusedException reason) {
    return reason.code().name()
        + " — "
        + reason.getMessage().substring(reason.code().name().length() + 2);
  }

  /**
   * The one line to print for a failure. Control and format characters (a peer's CLOSE sentence
   * could carry escape sequences or line breaks) become {@code ?}: one line, nothing for the
   * terminal to act on.
   */
  static String messageOf(Throwable ex) {
    if (ex instanceof NoSuchFileException) {
      return printable("file not found: " + ex.getMessage());
    }
    String m = ex.getMessage();
    return m == null || m.isBlank() ? ex.getClass().getSimpleName() : printable(m);
  }

  private static String printable(String s) {
    return Printable.of(s);
  }
}
