package dev.switchboard.broker.internal;

import dev.switchboard.broker.Registration;
import dev.switchboard.config.BearerToken;
import dev.switchboard.config.Durations;
import dev.switchboard.config.TokenFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a broker in its regional load balancer's backend pools with leases renewed every {@code ttl
 * / 3}, through the lb admin API; runs on its own thread, never on an event loop.
 */
public final class PoolRegistrar implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PoolRegistrar.class);
  private final String brokerId;
  private final Registration reg;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "switchboard-registrar");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean failing;

  public PoolRegistrar(String brokerId, Registration reg) {
    this.brokerId = brokerId;
    this.reg = reg;
  }

  /** Registers now and keeps renewing. */
  public void start() {
    long every = Math.max(100, reg.ttl().toMillis() / 3);
    timer.scheduleWithFixedDelay(this::renew, 0, every, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    for (String pool : allPools()) {
      int priority = reg.pools().contains(pool) ? 0 : Registration.BACKUP_PRIORITY;
      String body =
          "{\"ip\":\""
              + reg.ip()
              + "\",\"name\":\""
              + brokerId
              + "\",\"priority\":"
              + priority
              + ",\"ttl\":\""
              + Durations.format(reg.ttl())
              + "\"}";
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri("/pools/" + pool + "/backends"))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json")
                    .header("Authorization", token().header())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
          throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body().trim());
        }
        if (failing) {
          log.info("broker {} registered again in pool {} at {}", brokerId, pool, reg.admin());
          failing = false;
        }
      } catch (Exception e) {
        if (!failing) {
          log.warn(
              "broker {} cannot register in pool {} at {}: {}",
              brokerId,
              pool,
              reg.admin(),
              e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
          failing = true;
        }
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops renewing and removes this broker from every pool (best effort). */
  public void leave() {
    timer.shutdownNow();
    for (String pool : allPools()) {
      try {
        http.send(
            HttpRequest.newBuilder(uri("/pools/" + pool + "/backends/" + reg.ip()))
                .timeout(Duration.ofSeconds(2))
                .header("Authorization", token().header())
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (Exception e) {
        log.debug("broker {} could not leave pool {}: {}", brokerId, pool, e.getMessage());
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private List<String> allPools() {
    List<String> all = new ArrayList<>(reg.pools());
    reg.backupPools().stream().filter(p -> !all.contains(p)).forEach(all::add);
    return all;
  }

  /** Read for every request: the lb may create the file after this broker starts, or rotate it. */
  private BearerToken token() throws IOException {
    try {
      return TokenFile.read(reg.tokenFile());
    } catch (NoSuchFileException e) {
      throw new IOException("no lb admin token file " + reg.tokenFile(), e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://" + reg.admin() + path);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
