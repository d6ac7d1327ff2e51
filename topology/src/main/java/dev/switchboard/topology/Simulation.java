package dev.switchboard.topology;

import java.util.Map;

/**
 * Input to the local simulation (localnet), ignored by real deployments: each region's
 * point-of-presence address prefix ({@code regions[].pop}) and the round trip between regions
 * ({@code latencyMs}) that the simulated backbone delays by.
 *
 * @param pops region id to the first three octets of its POP addresses ("" when not given)
 * @param rttMs the round trip in milliseconds, keyed by {@link #key}
 */
public record Simulation(Map<String, String> pops, Map<String, Integer> rttMs) {
  public Simulation {
    pops = Map.copyOf(pops);
    rttMs = Map.copyOf(rttMs);
  }

  /** The POP address prefix of a region, e.g. {@code 127.0.10}. */
  public String pop(String region) {
    String p = pops.get(region);
    if (p == null || p.isBlank()) {
      throw new IllegalArgumentException("region " + region + " has no 'pop' address prefix");
    }
    return p;
  }

  /** Round-trip time between two regions in milliseconds (symmetric). */
  public int rttMs(String regionA, String regionB) {
    Integer v = rttMs.get(key(regionA, regionB));
    if (v == null) {
      throw new IllegalArgumentException("no latency between " + regionA + " and " + regionB);
    }
    return v;
  }

  /** The order-independent key of a region pair. */
  static String key(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
  }
}
