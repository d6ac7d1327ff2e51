package dev.switchboard.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Turns every failure into one line on stderr and a documented exit code ({@link ExitCodes}). */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    cmd.getErr().println("switchboard: " + ExitCodes.messageOf(ex));
    cmd.getErr().flush();
    return ExitCodes.of(ex);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    cmd.getErr().println("switchboard: " + messageOf(ex) + " (see --help)");
    cmd.getErr().flush();
    return ExitCodes.USAGE;
  }

  /**
   * An unknown option explains the rest: with {@code --nmae x}, "Unknown option: '--nmae'" comes
   * before the "missing --name" that picocli checks first.
   */
  private static String messageOf(ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    List<String> unmatched = cmd.getUnmatchedArguments();
    UnmatchedArgumentException u =
        ex instanceof UnmatchedArgumentException e
            ? e
            : unmatched.isEmpty() ? null : new UnmatchedArgumentException(cmd, unmatched);
    if (u == null) {
      return ex.getMessage();
    }
    List<String> suggestions = u.getSuggestions();
    return u.getMessage()
        + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
  }
}
