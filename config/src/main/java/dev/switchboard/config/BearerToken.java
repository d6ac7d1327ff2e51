package dev.switchboard.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * The shared secret of a control plane (broker admin, lb admin): sent as {@code Authorization:
 * Bearer TOKEN}, compared in constant time, never printed ({@link #toString()} hides it).
 */
public final class BearerToken {
  /** RFC 6750's b64token, at least 128 bits' worth of base64. */
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._~+/-]{22,512}=*");

  private static final String SCHEME = "Bearer ";

  private final byte[] value;

  private BearerToken(String value) {
    this.value = value.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The token {@code text} holds, surrounding whitespace removed.
   *
   * @throws IllegalArgumentException if it is not a bearer token of at least 22 characters; the
   *     message never contains the text
   */
  public static BearerToken of(String text) {
    String t = text.strip();
    if (!FORMAT.matcher(t).matches()) {
      throw new IllegalArgumentException(
          "is not a bearer token (22-512 characters of A-Z a-z 0-9 - . _ ~ + /)");
    }
    return new BearerToken(t);
  }

  /**
   * Whether an {@code Authorization} header value carries this token; null or another scheme is
   * false. The comparison takes the same time wherever the first differing byte is.
   */
  public boolean matchesHeader(String authorization) {
    if (authorization == null || authorization.length() < SCHEME.length()) {
      return false;
    }
    if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] presented =
        authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(value, presented);
  }

  /** The value of an {@code Authorization} header carrying this token, for clients. */
  public String header() {
    return SCHEME + new String(value, StandardCharsets.US_ASCII);
  }

  /** Never the token: this object may end up in a log line or an exception message. */
  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
