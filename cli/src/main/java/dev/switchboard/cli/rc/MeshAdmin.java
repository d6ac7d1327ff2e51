package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.config.BearerToken;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.TokenFile;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where {@code sessions} finds every broker's admin API and its token: the running local topology
 * (as {@code status}), or each broker's address and admin port in {@code --topology FILE}.
 */
public final class MeshAdmin {
  static final String TOKEN_ENV = "SWITCHBOARD_ADMIN_TOKEN_FILE";

  @Mixin UpStateDir state;

  @Option(
      names = "--topology",
      paramLabel = "FILE",
      description =
          "Reach each broker of this topology file at its address and admin port (default: the"
              + " brokers of the running local topology, as `status`).")
  Path topology;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "File with the brokers' admin token (default: $"
              + TOKEN_ENV
              + ", else the one `up` recorded, or with --topology admin.token in the current"
              + " folder). The token itself is never an argument.")
  Path adminTokenFile;

  // Replaced by tests.
  Function<String, String> env = System::getenv;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<Path, BearerToken> tokens = new HashMap<>();

  /** A broker's admin API: {@code admin} is HOST:PORT. */
  record BrokerAdmin(String id, String admin, Path tokenFile) {}

  /** One broker's answer, or why there is none ({@code error} non-null, {@code body} null). */
  record Answer(BrokerAdmin broker, int status, JsonNode body, String error) {}

  /**
   * Takes from {@code parent} what was not given here: {@code sessions --topology F end ID} means
   * the same as {@code sessions end ID --topology F}.
   */
  void inherit(MeshAdmin parent) {
    topology = topology != null ? topology : parent.topology;
    adminTokenFile = adminTokenFile != null ? adminTokenFile : parent.adminTokenFile;
    state.stateDir = state.stateDir != null ? state.stateDir : parent.state.stateDir;
    env = parent.env;
  }

  List<BrokerAdmin> brokers() {
    Path explicit = adminTokenFile;
    if (explicit == null) {
      String e = env.apply(TOKEN_ENV);
      explicit = e == null || e.isBlank() ? null : Path.of(e);
    }
    List<BrokerAdmin> out = new ArrayList<>();
    if (topology != null) {
      Path file = explicit != null ? explicit : Path.of("admin.token");
      for (Topology.BrokerSpec b : Topologies.load(topology).brokers()) {
        String host = b.address().contains(":") ? "[" + b.address() + "]" : b.address();
        out.add(new BrokerAdmin(b.id(), host + ":" + b.adminPort(), file));
      }
      return out;
    }
    Path dir = state.resolve();
    for (JsonNode b : UpState.running(dir).path("brokers")) {
      String recorded = b.path("adminTokenFile").asText("");
      Path file =
          explicit != null
              ? explicit
              : recorded.isEmpty() ? dir.resolve("admin.token") : Path.of(recorded);
      out.add(new BrokerAdmin(b.path("id").asText(), b.path("admin").asText(), file));
    }
    return out;
  }

  /** Sends the request to the broker; a token the broker refuses ends the command (exit 3). */
  CompletableFuture<Answer> send(BrokerAdmin b, String method, String path, String json) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://" + b.admin() + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", token(b.tokenFile()).header());
    if (json != null) {
      r.header("Content-Type", "application/json");
    }
    r.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (res, failure) -> {
              if (failure != null) {
                Throwable c = failure.getCause() != null ? failure.getCause() : failure;
                return new Answer(b, 0, null, "cannot reach " + b.admin() + ": " + describe(c));
              }
              if (res.statusCode() == 401) {
                throw new CliException(
                    ExitCodes.CONFIG,
                    "broker "
                        + b.id()
                        + " refused the admin token from "
                        + b.tokenFile()
                        + " (401); give the right file with --admin-token-file FILE");
              }
              JsonNode body;
              try {
                body = UpState.JSON.readTree(res.body());
              } catch (IOException e) {
                return new Answer(
                    b, res.statusCode(), null, "answered HTTP " + res.statusCode() + ", not JSON");
              }
              return new Answer(b, res.statusCode(), body, null);
            });
  }

  /** The answer, or the CliException the token check threw. */
  static Answer await(CompletableFuture<Answer> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
  }

  private BearerToken token(Path file) {
    return tokens.computeIfAbsent(
        file,
        k -> {
          try {
            return TokenFile.read(k);
          } catch (ConfigException e) { // others may read it, or it holds no token
            throw new CliException(ExitCodes.CONFIG, e.getMessage(), e);
          } catch (IOException e) {
            throw new CliException(
                ExitCodes.CONFIG,
                "cannot read the brokers' admin token file "
                    + k
                    + " ("
                    + e.getClass().getSimpleName()
                    + "); give it with --admin-token-file FILE or $"
                    + TOKEN_ENV,
                e);
          }
        });
  }
}
