package dev.switchboard.lb.internal;

import dev.switchboard.lb.Distribution;
import java.net.InetSocketAddress;
import java.util.Arrays;

/** Hashes a flow's tuple as chosen by the rule's {@link Distribution}; stable across processes. */
public final class FlowKey {
  private static final int PROTO_TCP = 6;
  private static final int PROTO_UDP = 17;

  private FlowKey() {}

  /** The 64-bit hash of the tuple {@code mode} selects from this flow. */
  public static long hash(
      Distribution mode, InetSocketAddress src, InetSocketAddress dst, boolean udp) {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, Arrays.hashCode(src.getAddress().getAddress()));
    h = mix(h, Arrays.hashCode(dst.getAddress().getAddress()));
    if (mode == Distribution.SOURCE_IP) {
      return fmix(h);
    }
    h = mix(h, udp ? PROTO_UDP : PROTO_TCP);
    if (mode == Distribution.SOURCE_IP_PROTOCOL) {
      return fmix(h);
    }
    h = mix(h, src.getPort());
    h = mix(h, dst.getPort());
    return fmix(h);
  }

  static long mix(long h, long v) {
    return (h ^ fmix(v + 0x632BE59BD9B4E019L)) * 0x9E3779B97F4A7C15L;
  }

  /** MurmurHash3's 64-bit finaliser. */
  static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** A stable 64-bit hash of a string (for Maglev permutations). */
  static long hash(String s, long seed) {
    long h = seed;
    for (int i = 0; i < s.length(); i++) {
      h = mix(h, s.charAt(i));
    }
    return fmix(h);
  }
}
