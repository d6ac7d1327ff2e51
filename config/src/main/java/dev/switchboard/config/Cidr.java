package dev.switchboard.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address block written as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address ({@code
 * 127.0.0.1} means {@code /32}, an IPv6 address {@code /128}). IPv4-mapped IPv6 addresses match
 * their IPv4 blocks.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code text}; only literal addresses, never a name (no DNS lookups in a config file).
   *
   * @throws ConfigException naming {@code field} when it is not an address block
   */
  public static Cidr parse(String field, String text) {
    String t = text == null ? "" : text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    byte[] bytes = literal(field, addr, text);
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw ConfigException.field(
            field, "prefix length in '" + text + "' must be 0-" + max + " for this address");
      }
    }
    byte[] network = mask(bytes, prefix);
    if (!Arrays.equals(network, bytes)) {
      throw ConfigException.field(
          field, "'" + text + "' has host bits set; did you mean " + show(network, prefix) + "?");
    }
    return new Cidr(network, prefix, show(network, prefix));
  }

  /** Whether {@code a} lies in this block. */
  public boolean contains(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 16 && network.length == 4 && isV4Mapped(b)) {
      b = Arrays.copyOfRange(b, 12, 16);
    }
    return b.length == network.length && Arrays.equals(mask(b, prefix), network);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  private static byte[] literal(String field, String addr, String original) {
    boolean looksLiteral = !addr.isEmpty() && (addr.contains(":") || addr.matches("[0-9.]+"));
    if (looksLiteral) {
      try {
        return InetAddress.getByName(addr).getAddress(); // a literal: no lookup happens
      } catch (UnknownHostException e) {
        // fall through to the error below
      }
    }
    throw ConfigException.field(
        field, "'" + original + "' is not an address block like 10.0.0.0/8 or 2001:db8::/32");
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    BigInteger all = new BigInteger(1, bytes);
    int bits = bytes.length * 8;
    BigInteger m = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
    byte[] masked = all.and(m).toByteArray();
    byte[] out = new byte[bytes.length];
    int copy = Math.min(masked.length, out.length);
    System.arraycopy(masked, masked.length - copy, out, out.length - copy, copy);
    return out;
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static String show(byte[] network, int prefix) {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
