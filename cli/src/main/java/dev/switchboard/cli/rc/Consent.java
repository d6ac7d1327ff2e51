package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Printable;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Durations;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code target --ask}: the person at the target sees who is asking (the controller's certificate
 * name and the broker) and the session is bridged only after they answer yes; no, end of input or
 * no answer in time ends it with {@link ErrorCode#TARGET_DECLINED} for both sides.
 */
public final class Consent {
  /** The broker's default idle timeout: a longer wait would end the session as idle instead. */
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  @Option(
      names = "--ask",
      description =
          "Ask on this terminal before bridging: show the controller's certificate name and the"
              + " broker, bridge only after 'yes'.")
  boolean ask;

  @Option(
      names = "--ask-timeout",
      paramLabel = "DURATION",
      description = "With --ask: no answer within this declines (default 60s, at most 5m).")
  String timeout;

  // Replaced by tests: where the question is asked and answered.
  Supplier<Optional<AskTerminal>> terminal = AskTerminal::controlling;

  private AskTerminal open;
  private Duration wait;

  /** Checks the options and finds the terminal before anything reaches a broker. */
  void prepare() {
    if (!ask) {
      if (timeout != null) {
        throw new CliException(ExitCodes.USAGE, "--ask-timeout needs --ask");
      }
      return;
    }
    try {
      wait =
          Durations.parse(
              "--ask-timeout",
              timeout == null ? "60s" : timeout,
              Duration.ofSeconds(1),
              MAX_TIMEOUT);
    } catch (ConfigException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    open =
        terminal
            .get()
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCodes.USAGE,
                        "--ask needs a terminal to ask on, and this process has none"));
  }

  /**
   * Returns when the person allowed the session (or nobody was to be asked); otherwise ends it for
   * both sides and throws the session-ended failure.
   */
  void confirm(Session s) throws IOException {
    if (open == null) {
      return;
    }
    String who = Printable.of(s.peerName());
    open.print(
        "\n"
            + who
            + " (controller certificate) asks to connect through broker "
            + Printable.of(s.brokerId())
            + ".\nAllow? [y/N] (no answer in "
            + Durations.format(wait)
            + " declines) ");
    String why;
    try {
      String answer = open.readLine(wait);
      if (answer == null) {
        why = "the target declined: no answer (end of input)";
      } else if (isYes(answer)) {
        open.print("allowed\n");
        return;
      } else {
        why = "the person at the target declined";
      }
    } catch (TimeoutException e) {
      why = "the target declined: no answer within " + Durations.format(wait);
    }
    open.print("\ndeclined\n");
    s.abort(ErrorCode.TARGET_DECLINED, why);
    throw ExitCodes.sessionEnded(new RefusedException(ErrorCode.TARGET_DECLINED, why));
  }

  private static boolean isYes(String answer) {
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }
}
