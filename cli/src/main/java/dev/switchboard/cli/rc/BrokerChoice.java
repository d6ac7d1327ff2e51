package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.Resolver;
import dev.switchboard.localnet.AddressPlan;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which brokers a client may use: explicit {@code --broker HOST:PORT}s, or every broker of a
 * topology as reached from a region ({@code --topology FILE --region R}, local mode: through that
 * region's point of presence, as {@code switchboard up} runs it).
 */
public final class BrokerChoice {
  @Option(
      names = "--broker",
      paramLabel = "HOST:PORT",
      description = "A broker to use (repeatable).")
  List<String> brokers = new ArrayList<>();

  @Option(
      names = "--topology",
      paramLabel = "FILE",
      description = "Use every broker in this topology file.")
  Path topology;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "With --topology: the region this client is in (its point of presence).")
  String region;

  List<BrokerEndpoint> endpoints() {
    if (region != null && topology == null) {
      throw new CliException(
          ExitCodes.USAGE, "--region needs --topology FILE: a region is one of that file's");
    }
    if (!brokers.isEmpty()) {
      List<BrokerEndpoint> out = new ArrayList<>();
      for (String b : brokers) {
        try {
          out.add(BrokerEndpoint.parse(b));
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
      }
      return out;
    }
    Topology t = topology();
    if (region == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "--topology needs --region (one of "
              + t.regions().stream().map(Topology.Region::id).toList()
              + ")");
    }
    List<BrokerEndpoint> out = new ArrayList<>();
    try {
      for (Topology.BrokerSpec b : t.brokers()) {
        out.add(
            new BrokerEndpoint(
                b.id(),
                b.hostname(),
                new InetSocketAddress(AddressPlan.popAddress(t, region, b), b.clientPort())));
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    return out;
  }

  /** Redirect hostnames resolve to the region's point of presence in local mode, DNS otherwise. */
  Resolver resolver() {
    if (topology == null || region == null) {
      return Resolver.SYSTEM;
    }
    Topology t = topology();
    return (host, port) ->
        t.brokerByHostname(host)
            .map(b -> new InetSocketAddress(AddressPlan.popAddress(t, region, b), b.clientPort()))
            .orElseGet(() -> new InetSocketAddress(host, port));
  }

  private Topology topology() {
    if (topology == null) {
      throw new CliException(
          ExitCodes.USAGE, "give --broker HOST:PORT or --topology FILE --region R");
    }
    try {
      return Topology.load(topology);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.CONFIG, "topology file not found: " + e.getFile());
    } catch (IOException e) {
      throw new CliException(ExitCodes.CONFIG, e.getMessage());
    }
  }
}
