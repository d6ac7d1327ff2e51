package dev.switchboard.topology;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigMapper;
import dev.switchboard.topology.internal.TopologyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Regions and brokers as written in a topology file ({@code examples/seed-topology.yaml}); brokers,
 * clients and the local runner read the same file. What only the local simulation uses is apart, in
 * {@link #simulation()}.
 */
public final class Topology {
  private final String name;
  private final List<Region> regions;
  private final List<BrokerSpec> brokers;
  private final Simulation simulation;

  /** A region of the deployment. */
  public record Region(String id) {}

  /**
   * A broker: id, region, the hostname in its certificate, the address it listens on and its ports;
   * {@code index} is its 1-based position in the file.
   */
  public record BrokerSpec(
      String id,
      String region,
      String hostname,
      String address,
      int clientPort,
      int meshPort,
      int adminPort,
      int index) {}

  private Topology(
      String name, List<Region> regions, List<BrokerSpec> brokers, Simulation simulation) {
    this.name = name;
    this.regions = List.copyOf(regions);
    this.brokers = List.copyOf(brokers);
    this.simulation = simulation;
  }

  /**
   * Reads and validates a topology file.
   *
   * @throws ConfigException naming the file, the field and the problem
   */
  public static Topology load(Path file) throws IOException {
    return of(file.toString(), ConfigMapper.read(file, TopologyFile.class));
  }

  /** Parses topology YAML; a {@link ConfigException} names the field and the problem. */
  public static Topology parse(String yaml) {
    return parse("topology", yaml);
  }

  /** Parses topology YAML read from {@code source} (named in errors). */
  public static Topology parse(String source, String yaml) {
    return of(source, ConfigMapper.readYaml(source, yaml, TopologyFile.class));
  }

  private static Topology of(String source, TopologyFile f) {
    Map<String, Region> regions = new LinkedHashMap<>();
    Map<String, String> pops = new HashMap<>();
    for (int i = 0; i < f.regions().size(); i++) {
      TopologyFile.RegionEntry r = f.regions().get(i);
      if (regions.put(r.id(), new Region(r.id())) != null) {
        throw new ConfigException(
            source, "regions[" + i + "].id", "region '" + r.id() + "' is listed twice");
      }
      pops.put(r.id(), r.pop());
    }
    Map<String, Integer> rtt = new HashMap<>();
    f.latencyMs()
        .forEach(
            (k, ms) -> {
              String[] pair = k.split("-", 2);
              if (pair.length != 2
                  || !regions.containsKey(pair[0])
                  || !regions.containsKey(pair[1])) {
                throw new ConfigException(
                    source,
                    "latencyMs." + k,
                    "is not REGION-REGION of known regions " + regions.keySet());
              }
              if (ms == null || ms < 0 || ms > 60_000) {
                throw new ConfigException(
                    source, "latencyMs." + k, "must be a round trip of 0-60000 ms, got " + ms);
              }
              rtt.put(Simulation.key(pair[0], pair[1]), ms);
            });
    for (String a : regions.keySet()) {
      for (String b : regions.keySet()) {
        if (!rtt.containsKey(Simulation.key(a, b))) {
          throw new ConfigException(source, "latencyMs", "has no entry for " + a + "-" + b);
        }
      }
    }
    List<BrokerSpec> brokers = new ArrayList<>();
    for (int i = 0; i < f.brokers().size(); i++) {
      TopologyFile.BrokerEntry b = f.brokers().get(i);
      String at = "brokers[" + i + "]";
      if (!regions.containsKey(b.region())) {
        throw new ConfigException(
            source,
            at + ".region",
            "unknown region '" + b.region() + "' (known: " + regions.keySet() + ")");
      }
      if (brokers.stream().anyMatch(x -> x.id().equals(b.id()))) {
        throw new ConfigException(source, at + ".id", "broker '" + b.id() + "' is listed twice");
      }
      TopologyFile.Ports p = f.ports();
      brokers.add(
          new BrokerSpec(
              b.id(),
              b.region(),
              b.hostname(),
              b.address(),
              b.clientPort() != null ? b.clientPort() : p.client(),
              b.meshPort() != null ? b.meshPort() : p.mesh(),
              b.adminPort() != null ? b.adminPort() : p.admin(),
              brokers.size() + 1));
    }
    return new Topology(
        f.name(), new ArrayList<>(regions.values()), brokers, new Simulation(pops, rtt));
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

  /** Input to the local simulation (localnet), ignored by real deployments. */
  public Simulation simulation() {
    return simulation;
  }

  public Optional<BrokerSpec> broker(String id) {
    return brokers.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  public Optional<BrokerSpec> brokerByHostname(String hostname) {
    return brokers.stream().filter(b -> b.hostname().equalsIgnoreCase(hostname)).findFirst();
  }

  public Region region(String id) {
    return regions.stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown region '"
                        + id
                        + "' (known: "
                        + regions.stream().map(Region::id).toList()
                        + ")"));
  }
}
