package dev.switchboard.pki.internal;

import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/** Validation of certificate names and subject alternative names. */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private Names() {}

  /** Returns {@code name} if it is 1..64 letters, digits, '.', '-' or '_'. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid name '" + name + "': use 1 to 64 letters, digits, '.', '-' or '_'");
    }
    return name;
  }

  /** Returns {@code dns} if it is a valid host name, optionally with a leading "*." label. */
  public static String checkDnsName(String dns) {
    String host = dns != null && dns.startsWith("*.") ? dns.substring(2) : dns;
    boolean ok = host != null && !host.isEmpty() && host.length() <= 253;
    if (ok) {
      for (String label : host.split("\\.", -1)) {
        ok &= LABEL.matcher(label).matches();
      }
    }
    if (!ok) {
      throw new IllegalArgumentException("invalid DNS name '" + dns + "'");
    }
    return dns;
  }

  /** Returns {@code ip} if it is an IPv4 or IPv6 address literal (no host name lookup). */
  public static String checkIpAddress(String ip) {
    if (ip == null || !IPAddress.isValid(ip)) {
      throw new IllegalArgumentException("invalid IP address '" + ip + "'");
    }
    return ip;
  }
}
