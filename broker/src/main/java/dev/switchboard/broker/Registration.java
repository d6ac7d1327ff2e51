package dev.switchboard.broker;

import dev.switchboard.protocol.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a broker keeps itself in its regional load balancer's backend pools: every {@code ttl / 3} it
 * (re-)adds {@code ip} with a lease of {@code ttl} through the lb admin API, so a dead broker drops
 * out within {@code ttl}; a draining broker removes itself.
 *
 * @param admin the regional lb's admin address, {@code HOST:PORT}
 * @param tokenFile the file holding that lb's admin bearer token (read at each renewal)
 */
public record Registration(
    HostPort admin, Path tokenFile, List<String> pools, String ip, Duration ttl) {
  public Registration {
    pools = List.copyOf(pools);
  }
}
