package dev.switchboard.cli;

/** Documented process exit codes (see README "Exit codes"). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int RUNTIME = 1;
  public static final int USAGE = 2;
  public static final int CONFIG = 3;
  public static final int REFUSED = 4;
  public static final int NETWORK = 5;

  private ExitCodes() {}
}
