package dev.switchboard.localnet;

import dev.switchboard.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 *   regional lb of region X       127.s.B(X).N frontends, 127.s.B(X).250 : 7490 admin
 *   backbone R -> X, broker N     127.s.B(K + K*R + X).N : client port, 7490 (regional admin, for probes)
 *
 *   outbound (source) addresses, never listened on:
 *   POP of region R               R.pop.251    global lb to the backbone; the backbone relays R -> X
 *                                              keep it toward X's regional lb
 *   regional lb of region X       127.s.B(X).251   regional lb to its brokers
 * </pre>
 *
 * <p>The source addresses are what makes PROXY headers trustworthy on loopback, where every socket
 * would otherwise connect from 127.0.0.1: a regional lb accepts a header only from the POPs' source
 * addresses, a broker only from its regional lb's.
 *
 * <p>B(i) is the i-th third octet, counting from 20 up to 254 and then 2 to 19, that no 127.0.x.y
 * address of the file uses (K regions need K + K² of them; the seed gets 20, 21 for its regional
 * load balancers and 22-25 for its backbone). The plan's own addresses therefore never land on the
 * file's; what the file itself makes collide (a POP on its brokers' addresses, two ports alike) is
 * refused by the constructor with an {@link IllegalArgumentException} naming both uses.
 */
public final class AddressPlan {
  public static final int REGIONAL_ADMIN_PORT = 7490;
  public static final int GLOBAL_ADMIN_PORT = 7491;
  private static final int ADMIN_HOST = 250;
  private static final int SOURCE_HOST = 251;
  private final Topology topology;
  private final int shift;
  // Third octets of the plan's own /24s: K regional blocks, then K*K backbone blocks (R-major).
  private final int[] blocks;

  /**
   * @throws IllegalArgumentException (one line) if the topology cannot run locally: too many
   *     regions or brokers for the address space, or two pieces on one address and port
   */
  public AddressPlan(Topology topology, int shift) {
    if (shift < 0 || shift > 255) {
      throw new IllegalArgumentException("shift must be 0-255");
    }
    this.topology = topology;
    this.shift = shift;
    this.blocks = allocate(topology);
    listeners();
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
    return shifted(topology.simulation().pop(region) + "." + ADMIN_HOST);
  }

  /**
   * The address region {@code region}'s POP (its global lb) connects out from; the backbone relays
   * starting there connect onward from it too, so the regional lbs see the POP.
   */
  public String popSource(String region) {
    topology.region(region);
    return shifted(topology.simulation().pop(region) + "." + SOURCE_HOST);
  }

  /** The address region {@code region}'s load balancer connects to its brokers from. */
  public String regionalSource(String region) {
    return block(index(region)) + SOURCE_HOST;
  }

  public String regionalFrontend(String region, Topology.BrokerSpec b) {
    return block(index(region)) + b.index();
  }

  public String regionalAdmin(String region) {
    return block(index(region)) + ADMIN_HOST;
  }

  public String backbone(String fromRegion, String toRegion, Topology.BrokerSpec b) {
    int k = topology.regions().size();
    return block(k + k * index(fromRegion) + index(toRegion)) + b.index();
  }

  private String block(int i) {
    return "127." + shift + "." + blocks[i] + ".";
  }

  int index(String region) {
    for (int i = 0; i < topology.regions().size(); i++) {
      if (topology.regions().get(i).id().equals(region)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown region '" + region + "'");
  }

  private static int[] allocate(Topology t) {
    int k = t.regions().size();
    if (t.brokers().size() >= ADMIN_HOST) {
      throw new IllegalArgumentException(
          t.brokers().size()
              + " brokers: a local topology runs at most "
              + (ADMIN_HOST - 1)
              + " (broker N listens on <block>.N, .250 is a load balancer's admin, .251 its"
              + " source address)");
    }
    Set<Integer> used = new HashSet<>();
    t.brokers().forEach(b -> thirdOctet(b.address()).ifPresent(used::add));
    t.regions().forEach(r -> thirdOctet(t.simulation().pop(r.id()) + ".0").ifPresent(used::add));
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < 253; i++) {
      int octet = i <= 234 ? 20 + i : i - 233;
      if (!used.contains(octet)) {
        free.add(octet);
      }
    }
    int need = k + k * k;
    if (need > free.size()) {
      throw new IllegalArgumentException(
          k
              + " regions: the local address plan needs "
              + need
              + " /24 blocks of 127.0.0.0/8 (one per region's load balancer, one per pair of"
              + " regions for the backbone) and only "
              + free.size()
              + " third octets are free of the file's addresses");
    }
    return free.stream().limit(need).mapToInt(Integer::intValue).toArray();
  }

  /** The third octet of a 127.0.x.y address. */
  private static Optional<Integer> thirdOctet(String ip) {
    String[] p = ip.split("\\.");
    if (p.length == 4 && p[0].equals("127") && p[1].equals("0")) {
      try {
        return Optional.of(Integer.parseInt(p[2]));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Every address and port the local topology listens on, with what listens there; throws naming
   * the first address and port wanted twice.
   */
  Map<String, String> listeners() {
    Map<String, String> at = new LinkedHashMap<>();
    for (Topology.BrokerSpec b : topology.brokers()) {
      String id = "broker " + b.id();
      put(at, broker(b), b.clientPort(), id + " (client port)");
      put(at, broker(b), b.meshPort(), id + " (mesh port)");
      put(at, broker(b), b.adminPort(), id + " (admin port)");
    }
    for (Topology.Region r : topology.regions()) {
      String rid = "region " + r.id();
      put(at, globalAdmin(r.id()), GLOBAL_ADMIN_PORT, rid + "'s POP load balancer admin");
      put(at, regionalAdmin(r.id()), REGIONAL_ADMIN_PORT, rid + "'s load balancer admin");
      for (Topology.BrokerSpec b : topology.brokers()) {
        put(at, pop(r.id(), b), b.clientPort(), rid + "'s POP for " + b.id() + " (client port)");
        put(at, pop(r.id(), b), b.meshPort(), rid + "'s POP for " + b.id() + " (mesh port)");
        put(
            at,
            regionalFrontend(r.id(), b),
            b.clientPort(),
            rid + "'s load balancer for " + b.id());
        for (Topology.Region x : topology.regions()) {
          String bb = "the backbone " + r.id() + "->" + x.id() + " for " + b.id();
          put(at, backbone(r.id(), x.id(), b), b.clientPort(), bb + " (client port)");
          put(at, backbone(r.id(), x.id(), b), REGIONAL_ADMIN_PORT, bb + " (lb admin port)");
        }
      }
    }
    return at;
  }

  private static void put(Map<String, String> at, String ip, int port, String what) {
    String before = at.putIfAbsent(ip + ":" + port, what);
    if (before != null) {
      throw new IllegalArgumentException(
          ip + ":" + port + " would be both " + before + " and " + what);
    }
  }
}
