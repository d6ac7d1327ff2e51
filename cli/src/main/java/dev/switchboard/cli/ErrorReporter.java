package dev.switchboard.cli;

import dev.switchboard.pki.CredentialException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import javax.net.ssl.SSLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns every failure into one line on stderr and a documented exit code. */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    int code = exitCodeOf(ex);
    cmd.getErr().println("switchboard: " + messageOf(ex));
    cmd.getErr().flush();
    return code;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    cmd.getErr().println("switchboard: " + ex.getMessage() + " (see --help)");
    cmd.getErr().flush();
    return ExitCodes.USAGE;
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof CliException) {
      return ((CliException) ex).exitCode();
    }
    if (ex instanceof NoSuchFileException
        || ex instanceof FileNotFoundException
        || ex instanceof CredentialException) {
      return ExitCodes.CONFIG;
    }
    if (ex instanceof ConnectException || ex instanceof SSLException) {
      return ExitCodes.NETWORK;
    }
    if (ex instanceof IOException) {
      return ExitCodes.RUNTIME;
    }
    if (ex instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.RUNTIME;
  }

  static String messageOf(Throwable ex) {
    if (ex instanceof NoSuchFileException) {
      return "file not found: " + ex.getMessage();
    }
    String m = ex.getMessage();
    return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
  }
}
