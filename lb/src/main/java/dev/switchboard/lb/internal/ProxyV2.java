package dev.switchboard.lb.internal;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/** Encodes PROXY protocol v2 headers (haproxy proxy-protocol.txt, section 2.2) for TCP and UDP. */
public final class ProxyV2 {
  private static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };
  private static final int VERSION_PROXY = 0x21;

  private ProxyV2() {}

  /** The header for a flow from {@code src} to {@code dst}; both must be the same IP family. */
  public static byte[] header(InetSocketAddress src, InetSocketAddress dst, boolean udp) {
    byte[] s = src.getAddress().getAddress();
    byte[] d = dst.getAddress().getAddress();
    if (s.length != d.length) {
      s = mapped(s);
      d = mapped(d);
    }
    boolean v4 = s.length == 4;
    int family = (v4 ? 0x10 : 0x20) | (udp ? 0x02 : 0x01);
    int addrLen = 2 * s.length + 4;
    byte[] out = new byte[16 + addrLen];
    System.arraycopy(SIGNATURE, 0, out, 0, 12);
    out[12] = (byte) VERSION_PROXY;
    out[13] = (byte) family;
    out[14] = (byte) (addrLen >>> 8);
    out[15] = (byte) addrLen;
    System.arraycopy(s, 0, out, 16, s.length);
    System.arraycopy(d, 0, out, 16 + s.length, d.length);
    int p = 16 + 2 * s.length;
    out[p] = (byte) (src.getPort() >>> 8);
    out[p + 1] = (byte) src.getPort();
    out[p + 2] = (byte) (dst.getPort() >>> 8);
    out[p + 3] = (byte) dst.getPort();
    return out;
  }

  /** Writes the header into {@code buf}. */
  public static void write(ByteBuf buf, InetSocketAddress src, InetSocketAddress dst, boolean udp) {
    buf.writeBytes(header(src, dst, udp));
  }

  private static byte[] mapped(byte[] a) {
    if (a.length == 16) {
      return a;
    }
    byte[] m = new byte[16];
    m[10] = (byte) 0xff;
    m[11] = (byte) 0xff;
    System.arraycopy(a, 0, m, 12, 4);
    return m;
  }

  static boolean isV4(InetSocketAddress a) {
    return a.getAddress() instanceof Inet4Address;
  }
}
