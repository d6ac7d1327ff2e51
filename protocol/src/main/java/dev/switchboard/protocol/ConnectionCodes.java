package dev.switchboard.protocol;

import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Human-friendly connection codes: ten symbols from a 31-letter alphabet without look-alikes (no
 * 0/O, 1/I/L), shown as two groups of five ({@code K7M2Q-X9P4T}), about 49.5 bits of entropy. Input
 * is case-insensitive and ignores dashes and spaces.
 */
public final class ConnectionCodes {
  /** The alphabet: digits 2-9 and letters without I, L and O. */
  public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

  /** Symbols per code. */
  public static final int LENGTH = 10;

  /** Entropy of one code in bits. */
  public static final double ENTROPY_BITS = LENGTH * Math.log(ALPHABET.length()) / Math.log(2);

  private final SecureRandom random;

  public ConnectionCodes(SecureRandom random) {
    this.random = random;
  }

  /** A fresh random code in canonical form (no dash). */
  public String next() {
    char[] c = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }

  /** The canonical form shown to people: two dash-separated groups of five. */
  public static String display(String canonical) {
    return canonical.substring(0, 5) + "-" + canonical.substring(5);
  }

  /**
   * Why what a person typed cannot be a code, as a sentence naming the symbols outside the alphabet
   * or the count; empty if it can be one. The sentence does not repeat the input.
   */
  public static Optional<String> problem(String typed) {
    if (typed == null) {
      return Optional.of("no connection code given");
    }
    Set<String> outside = new LinkedHashSet<>();
    int symbols = 0;
    for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      if (ch == '-' || ch == ' ') {
        continue;
      }
      symbols++;
      if (ALPHABET.indexOf(ch) < 0) {
        outside.add("'" + ch + "'");
      }
    }
    if (!outside.isEmpty()) {
      return Optional.of(
          "a connection code has no "
              + String.join(", ", outside)
              + ": its symbols are "
              + ALPHABET
              + " (no 0, 1, I, L or O)");
    }
    if (symbols != LENGTH) {
      return Optional.of(
          "a connection code has " + LENGTH + " symbols like K7M2Q-X9P4T, this one has " + symbols);
    }
    return Optional.empty();
  }

  /** Canonical form of what a person typed, or empty if it cannot be a code. */
  public static Optional<String> normalize(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder(LENGTH);
    for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      if (ch == '-' || ch == ' ') {
        continue;
      }
      if (ALPHABET.indexOf(ch) < 0 || sb.length() == LENGTH) {
        return Optional.empty();
      }
      sb.append(ch);
    }
    return sb.length() == LENGTH ? Optional.of(sb.toString()) : Optional.empty();
  }
}
