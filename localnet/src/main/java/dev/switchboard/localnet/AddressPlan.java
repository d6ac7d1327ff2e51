package dev.switchboard.localnet;

import dev.switchboard.topology.Topology;

/**
 * Where every piece of a local topology listens, all in 127.0.0.0/8. {@code shift} replaces the
 * second octet of the topology's 127.0.x.y addresses so several topologies (a test, a demo, {@code
 * switchboard up}) can run on one machine at once; {@code up} uses shift 0, so its addresses are
 * exactly the file's.
 *
 * <pre>
 *   broker N                      topology address (127.s.1.N)            client / mesh / admin ports
 *   POP of region R, broker N     R.pop.N (127.s.10.N, 127.s.11.N, ...)   client port: global lb frontend
 *                                                                         mesh port: relay to broker N's mesh
 *   global lb admin, region R     R.pop.250 : 7491
 *   regional lb of region X       127.s.(20+X).N frontends, 127.s.(20+X).250 : 7490 admin
 *   backbone R -> X, broker N     127.s.(40+10R+X).N : client port, 7490 (regional admin, for probes)
 * </pre>
 */
public final class AddressPlan {
  public static final int REGIONAL_ADMIN_PORT = 7490;
  public static final int GLOBAL_ADMIN_PORT = 7491;
  private final Topology topology;
  private final int shift;

  public AddressPlan(Topology topology, int shift) {
    if (shift < 0 || shift > 255) {
      throw new IllegalArgumentException("shift must be 0-255");
    }
    this.topology = topology;
    this.shift = shift;
  }

  public int shift() {
    return shift;
  }

  /** Moves a 127.0.x.y address to 127.shift.x.y; other addresses are returned unchanged. */
  public String shifted(String ip) {
    return ip.startsWith("127.0.") ? "127." + shift + "." + ip.substring("127.0.".length()) : ip;
  }

  public String broker(Topology.BrokerSpec b) {
    return shifted(b.address());
  }

  public String pop(String region, Topology.BrokerSpec b) {
    return shifted(popAddress(topology, region, b));
  }

  /**
   * The address of broker {@code b}'s frontend at region {@code regionId}'s point of presence in
   * the topology's own (unshifted) addresses: {@code pop.index}, from the simulation input.
   */
  public static String popAddress(Topology topology, String regionId, Topology.BrokerSpec b) {
    topology.region(regionId);
    return topology.simulation().pop(regionId) + "." + b.index();
  }

  public String globalAdmin(String region) {
    topology.region(region);
    return shifted(topology.simulation().pop(region) + ".250");
  }

  public String regionalFrontend(String region, Topology.BrokerSpec b) {
    return "127." + shift + "." + (20 + index(region)) + "." + b.index();
  }

  public String regionalAdmin(String region) {
    return "127." + shift + "." + (20 + index(region)) + ".250";
  }

  public String backbone(String fromRegion, String toRegion, Topology.BrokerSpec b) {
    return "127." + shift + "." + (40 + 10 * index(fromRegion) + index(toRegion)) + "." + b.index();
  }

  int index(String region) {
    for (int i = 0; i < topology.regions().size(); i++) {
      if (topology.regions().get(i).id().equals(region)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown region '" + region + "'");
  }
}
