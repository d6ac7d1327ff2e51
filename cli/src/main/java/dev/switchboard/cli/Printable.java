package dev.switchboard.cli;

/**
 * Text from a certificate or a broker made safe for a terminal: control and formatting characters
 * (escape sequences, newlines, bidi overrides) become '?', so a name cannot rewrite the screen.
 */
public final class Printable {
  private Printable() {}

  public static String of(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(unsafe(cp) ? '?' : cp));
    return sb.toString();
  }

  private static boolean unsafe(int cp) {
    int t = Character.getType(cp);
    return t == Character.CONTROL
        || t == Character.FORMAT
        || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR;
  }
}
