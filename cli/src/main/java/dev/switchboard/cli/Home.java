package dev.switchboard.cli;

/** The user's home folder as the shell sees it. */
public final class Home {
  private Home() {}

  /**
   * {@code $HOME}, else the JVM's {@code user.home}: they differ under sudo, in containers and
   * whenever a user points HOME elsewhere, and the default state folders must follow HOME.
   */
  public static String dir() {
    String home = System.getenv("HOME");
    return home != null && !home.isBlank() ? home : System.getProperty("user.home");
  }
}
