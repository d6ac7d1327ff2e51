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
 * @param pools pools this broker joins with priority 0
 * @param backupPools pools this broker joins with priority 1: a rule with {@code distribution:
 *     priority} sends it new flows only while the pool has no eligible member of priority 0 (the
 *     region's brokers back up each other's hostnames)
 */
public record Registration(
    HostPort admin,
    Path tokenFile,
    List<String> pools,
    List<String> backupPools,
    String ip,
    Duration ttl) {
  /** The priority a backup member is registered with. */
  public static final int BACKUP_PRIORITY = 1;

  public Registration {
    pools = List.copyOf(pools);
    backupPools = List.copyOf(backupPools);
  }

  /** A registration without backup pools. */
  public Registration(HostPort admin, Path tokenFile, List<String> pools, String ip, Duration ttl) {
    this(admin, tokenFile, pools, List.of(), ip, ttl);
  }
}
