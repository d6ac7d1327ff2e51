package dev.switchboard.lb.internal;

import dev.switchboard.lb.LbException;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses literal IP addresses only, so a config value never triggers a DNS lookup. */
public final class Addresses {
  private Addresses() {}

  public static InetAddress parse(String ip) {
    byte[] raw = ip == null ? null : NetUtil.createByteArrayFromIpAddressString(ip);
    if (raw == null) {
      throw new LbException(LbException.Code.INVALID, "not an IP address: '" + ip + "'");
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new LbException(LbException.Code.INVALID, "not an IP address: '" + ip + "'", e);
    }
  }

  public static boolean isValid(String ip) {
    return ip != null && NetUtil.createByteArrayFromIpAddressString(ip) != null;
  }
}
