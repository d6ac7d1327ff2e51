package dev.switchboard.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Regions, brokers and the round-trip latency between regions, as written in a topology file
 * ({@code examples/seed-topology.yaml}); brokers, clients and the local runner read the same file.
 */
public final class Topology {
  private final String name;
  private final List<Region> regions;
  private final List<BrokerSpec> brokers;
  private final Map<String, Integer> rttMs;

  /** A region and, for local mode, the address prefix of its point of presence. */
  public record Region(String id, String pop) {}

  /**
   * A broker: id, region, the hostname in its certificate, the address it listens on and its
   * ports; {@code index} is its 1-based position in the file (its POP address is pop.index).
   */
  public record BrokerSpec(String id, String region, String hostname, String address, int clientPort,
      int meshPort, int adminPort, int index) {}

  private Topology(String name, List<Region> regions, List<BrokerSpec> brokers, Map<String, Integer> rttMs) {
    this.name = name;
    this.regions = List.copyOf(regions);
    this.brokers = List.copyOf(brokers);
    this.rttMs = Map.copyOf(rttMs);
  }

  /**
   * Reads and validates a topology file.
   *
   * @throws IOException naming the file and the problem (unknown region, missing latency, ...)
   */
  public static Topology load(Path file) throws IOException {
    try {
      return parse(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /** Parses topology YAML; IllegalArgumentException with a clear message when invalid. */
  public static Topology parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("empty topology");
    }
    JsonNode ports = root.path("ports");
    int client = ports.path("client").asInt(7443);
    int mesh = ports.path("mesh").asInt(7444);
    int admin = ports.path("admin").asInt(7480);
    Map<String, Region> regions = new LinkedHashMap<>();
    for (JsonNode r : root.path("regions")) {
      String id = required(r, "id", "region");
      if (regions.put(id, new Region(id, r.path("pop").asText(""))) != null) {
        throw new IllegalArgumentException("region '" + id + "' is listed twice");
      }
    }
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("no regions");
    }
    Map<String, Integer> rtt = new HashMap<>();
    root.path("latencyMs").fields().forEachRemaining(e -> {
      String[] pair = e.getKey().split("-", 2);
      if (pair.length != 2 || !regions.containsKey(pair[0]) || !regions.containsKey(pair[1])) {
        throw new IllegalArgumentException("latencyMs key '" + e.getKey() + "' is not REGION-REGION of known regions");
      }
      int ms = e.getValue().asInt(-1);
      if (ms < 0) {
        throw new IllegalArgumentException("latencyMs '" + e.getKey() + "' must be a non-negative number");
      }
      rtt.put(key(pair[0], pair[1]), ms);
    });
    List<BrokerSpec> brokers = new ArrayList<>();
    for (JsonNode b : root.path("brokers")) {
      String id = required(b, "id", "broker");
      String region = required(b, "region", "broker " + id);
      if (!regions.containsKey(region)) {
        throw new IllegalArgumentException("broker " + id + " is in unknown region '" + region + "'");
      }
      if (brokers.stream().anyMatch(x -> x.id().equals(id))) {
        throw new IllegalArgumentException("broker '" + id + "' is listed twice");
      }
      brokers.add(new BrokerSpec(id, region, b.path("hostname").asText(id), required(b, "address", "broker " + id),
          b.path("clientPort").asInt(client), b.path("meshPort").asInt(mesh), b.path("adminPort").asInt(admin),
          brokers.size() + 1));
    }
    if (brokers.isEmpty()) {
      throw new IllegalArgumentException("no brokers");
    }
    for (String a : regions.keySet()) {
      for (String b : regions.keySet()) {
        if (!rtt.containsKey(key(a, b))) {
          throw new IllegalArgumentException("latencyMs has no entry for " + a + "-" + b);
        }
      }
    }
    return new Topology(root.path("name").asText("topology"), new ArrayList<>(regions.values()), brokers, rtt);
  }

  private static String required(JsonNode n, String field, String what) {
    String v = n.path(field).asText("");
    if (v.isBlank()) {
      throw new IllegalArgumentException(what + " has no '" + field + "'");
    }
    return v;
  }

  private static String key(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
  }

  public String name() {
    return name;
  }

  public List<Region> regions() {
    return regions;
  }

  public List<BrokerSpec> brokers() {
    return brokers;
  }

  public Optional<BrokerSpec> broker(String id) {
    return brokers.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  public Optional<BrokerSpec> brokerByHostname(String hostname) {
    return brokers.stream().filter(b -> b.hostname().equalsIgnoreCase(hostname)).findFirst();
  }

  public Region region(String id) {
    return regions.stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown region '" + id + "' (known: "
            + regions.stream().map(Region::id).toList() + ")"));
  }

  /** Round-trip time between two regions in milliseconds. */
  public int rttMs(String regionA, String regionB) {
    Integer v = rttMs.get(key(regionA, regionB));
    if (v == null) {
      throw new IllegalArgumentException("no latency between " + regionA + " and " + regionB);
    }
    return v;
  }

  /** Local mode: the address of broker {@code b}'s frontend at region {@code r}'s point of presence. */
  public String popAddress(String regionId, BrokerSpec b) {
    Region r = region(regionId);
    if (r.pop().isBlank()) {
      throw new IllegalArgumentException("region " + regionId + " has no 'pop' address prefix");
    }
    return r.pop() + "." + b.index();
  }
}
