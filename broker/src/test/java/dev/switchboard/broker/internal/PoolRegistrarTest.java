package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.broker.Registration;
import dev.switchboard.config.TokenFile;
import dev.switchboard.protocol.HostPort;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a broker asks of its load balancer's admin API: its pools, and its backup pools. */
class PoolRegistrarTest {
  @TempDir Path dir;
  private HttpServer lb;
  private final Map<String, String> requests = new ConcurrentHashMap<>();

  @BeforeEach
  void startFakeLb() throws Exception {
    lb = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    lb.createContext(
        "/pools/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.put(ex.getRequestMethod() + " " + ex.getRequestURI().getPath(), body);
          ex.sendResponseHeaders(ex.getRequestMethod().equals("DELETE") ? 204 : 201, -1);
          ex.close();
        });
    lb.start();
  }

  @AfterEach
  void stopFakeLb() {
    lb.stop(0);
  }

  @Test
  void joinsItsPoolsAtPriorityZeroItsBackupPoolsAtOneAndLeavesThemAll() throws Exception {
    Path token = dir.resolve("lb-admin.token");
    TokenFile.loadOrCreate(token);
    Registration reg =
        new Registration(
            new HostPort("127.0.0.1", lb.getAddress().getPort()),
            token,
            List.of("b-b1", "region"),
            List.of("b-b2"),
            "127.0.1.1",
            Duration.ofSeconds(30));
    try (PoolRegistrar r = new PoolRegistrar("b1", reg)) {
      r.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> requests.size() == 3);
      assertThat(requests.get("POST /pools/b-b1/backends")).contains("\"priority\":0");
      assertThat(requests.get("POST /pools/region/backends")).contains("\"priority\":0");
      assertThat(requests.get("POST /pools/b-b2/backends"))
          .contains("\"ip\":\"127.0.1.1\"", "\"name\":\"b1\"", "\"priority\":1", "\"ttl\":\"30s\"");
      r.leave();
    }
    assertThat(requests)
        .containsKeys(
            "DELETE /pools/b-b1/backends/127.0.1.1",
            "DELETE /pools/region/backends/127.0.1.1",
            "DELETE /pools/b-b2/backends/127.0.1.1");
  }
}
