package dev.switchboard.topology.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.config.ConfigException;
import java.util.List;
import java.util.Map;

/**
 * The schema of a topology file (docs/configuration.md), as read by the strict mapper; {@code
 * Topology} checks the references between its parts.
 */
public record TopologyFile(
    String name,
    Ports ports,
    @JsonProperty(required = true) List<RegionEntry> regions,
    Map<String, Integer> latencyMs,
    @JsonProperty(required = true) List<BrokerEntry> brokers) {

  public TopologyFile {
    name = name == null ? "topology" : name;
    ports = ports == null ? new Ports(null, null, null) : ports;
    latencyMs = latencyMs == null ? Map.of() : latencyMs;
    if (regions == null || regions.isEmpty()) {
      throw ConfigException.field("regions", "lists no region");
    }
    if (brokers == null || brokers.isEmpty()) {
      throw ConfigException.field("brokers", "lists no broker");
    }
  }

  /** Default ports of every broker. */
  public record Ports(Integer client, Integer mesh, Integer admin) {
    public Ports {
      client = port("client", client, 7443);
      mesh = port("mesh", mesh, 7444);
      admin = port("admin", admin, 7480);
    }
  }

  /** A region; {@code pop} is simulation input (the local POP's address prefix). */
  public record RegionEntry(@JsonProperty(required = true) String id, String pop) {
    public RegionEntry {
      Names.check("id", id);
      pop = pop == null ? "" : pop;
      if (!pop.isEmpty() && !pop.matches("127\\.\\d{1,3}\\.\\d{1,3}")) {
        throw ConfigException.field(
            "pop",
            "must be the first three octets of a loopback address"
                + " like 127.0.10, got '"
                + pop
                + "'");
      }
    }
  }

  /** A broker; ports default to {@link Ports}. */
  public record BrokerEntry(
      @JsonProperty(required = true) String id,
      @JsonProperty(required = true) String region,
      String hostname,
      @JsonProperty(required = true) String address,
      Integer clientPort,
      Integer meshPort,
      Integer adminPort) {
    public BrokerEntry {
      Names.check("id", id);
      if (address == null || address.isBlank()) {
        throw ConfigException.field("address", "must not be empty");
      }
      hostname = hostname == null || hostname.isBlank() ? id : hostname;
      clientPort = clientPort == null ? null : port("clientPort", clientPort, 0);
      meshPort = meshPort == null ? null : port("meshPort", meshPort, 0);
      adminPort = adminPort == null ? null : port("adminPort", adminPort, 0);
    }
  }

  static int port(String field, Integer value, int dflt) {
    if (value == null) {
      return dflt;
    }
    if (value < 1 || value > 65535) {
      throw ConfigException.field(field, "must be a port 1-65535, got " + value);
    }
    return value;
  }

  private static final class Names {
    static void check(String field, String v) {
      if (v == null || !v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        throw ConfigException.field(
            field, "must be 1-63 letters, digits, '.', '_' or '-', got '" + v + "'");
      }
    }
  }
}
