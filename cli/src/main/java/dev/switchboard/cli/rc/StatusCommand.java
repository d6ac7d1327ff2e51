package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.config.BearerToken;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.TokenFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard status}: the health of every broker of the local topology and its mesh links.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show the health of every broker of the local topology.",
    description = "Shows every broker of the running local topology: health, sessions, mesh peers.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin UpStateDir state;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "File with the brokers' admin token, for /status (default: the one `up` recorded,"
              + " admin.token in the state folder). The token itself is never an argument.")
  Path adminTokenFile;

  private final Map<Path, BearerToken> tokens = new HashMap<>();

  @Override
  public Integer call() {
    Path dir = state.resolve();
    JsonNode s = UpState.running(dir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Local topology (pid %d): %s%n", s.path("pid").asLong(), s.path("topology").asText());
    out.printf(
        "  %-14s %-6s %-22s %-9s %8s %11s  %s%n",
        "BROKER", "REGION", "CLIENTS", "HEALTH", "SESSIONS", "CONNECTIONS", "MESH PEERS");
    int down = 0;
    for (JsonNode b : s.path("brokers")) {
      String health;
      String sessions = "-";
      String conns = "-";
      String peers = "-";
      try {
        String admin = "http://" + b.path("admin").asText();
        HttpResponse<String> h =
            http.send(
                HttpRequest.newBuilder(URI.create(admin + "/healthz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        health = h.statusCode() == 200 ? "up" : h.body().trim();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(admin + "/status"))
                    .header("Authorization", token(dir, b).header())
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401) {
          throw new CliException(
              ExitCodes.CONFIG,
              "broker "
                  + b.path("id").asText()
                  + " refused the admin token from "
                  + tokenFile(dir, b)
                  + " (401); give the right file with --admin-token-file FILE");
        }
        JsonNode st = UpState.JSON.readTree(r.body());
        sessions = st.path("sessions").asText();
        conns = st.path("connections").asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : st.path("peers")) {
          sb.append(p.path("id").asText())
              .append(p.path("up").asBoolean() ? " up" : " DOWN")
              .append(", ");
        }
        peers = sb.length() > 2 ? sb.substring(0, sb.length() - 2) : "none";
      } catch (CliException | ConfigException e) {
        throw e; // a token file problem is the same for every broker: say it once
      } catch (Exception e) {
        health = "DOWN";
        down++;
      }
      out.printf(
          "  %-14s %-6s %-22s %-9s %8s %11s  %s%n",
          b.path("id").asText(),
          b.path("region").asText(),
          b.path("client").asText(),
          health,
          sessions,
          conns,
          peers);
    }
    printTiers(out, http, s);
    out.flush();
    return down == 0 ? ExitCodes.OK : ExitCodes.RUNTIME;
  }

  /** The token for broker {@code b}: --admin-token-file, else what up.json names, else default. */
  private BearerToken token(Path dir, JsonNode b) {
    return tokens.computeIfAbsent(
        tokenFile(dir, b),
        k -> {
          try {
            return TokenFile.read(k); // a ConfigException (others may read it) exits 3 as is
          } catch (IOException e) {
            throw new CliException(
                ExitCodes.CONFIG,
                "cannot read the brokers' admin token: "
                    + e.getMessage()
                    + " (give the file with --admin-token-file FILE)",
                e);
          }
        });
  }

  private Path tokenFile(Path dir, JsonNode b) {
    if (adminTokenFile != null) {
      return adminTokenFile;
    }
    String recorded = b.path("adminTokenFile").asText("");
    return recorded.isEmpty() ? dir.resolve("admin.token") : Path.of(recorded);
  }

  private static void printTiers(PrintWriter out, HttpClient http, JsonNode s) {
    JsonNode t;
    try {
      t =
          UpState.JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://" + s.path("control").asText() + "/tiers"))
                          .timeout(Duration.ofSeconds(3))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
    } catch (Exception e) {
      out.println("  (tier health unavailable: " + e.getMessage() + ")");
      return;
    }
    out.println("Regional load balancers (brokers in their pools, by lease):");
    t.path("regions")
        .fields()
        .forEachRemaining(
            r -> {
              StringBuilder sb = new StringBuilder();
              for (JsonNode b : r.getValue().path("backends")) {
                sb.append(b.path("broker").asText())
                    .append(b.path("up").asBoolean() ? " up" : " DOWN")
                    .append(b.path("draining").asBoolean() ? " draining" : "")
                    .append(
                        b.path("backupFor").asText("").isEmpty()
                            ? ""
                            : " (backup for " + b.path("backupFor").asText() + ")")
                    .append(", ");
              }
              out.printf(
                  "  %-6s lb %-8s %s%n",
                  r.getKey(),
                  r.getValue().path("lb").asText(),
                  sb.length() > 2 ? sb.substring(0, sb.length() - 2) : "no broker registered");
            });
    out.println("Points of presence (where each broker hostname is sent):");
    t.path("pops")
        .fields()
        .forEachRemaining(
            p -> {
              StringBuilder sb = new StringBuilder();
              for (JsonNode h : p.getValue()) {
                sb.append(h.path("hostname").asText().split("\\.")[0])
                    .append(" -> ")
                    .append(h.path("routesTo").asText())
                    .append(", ");
              }
              out.printf(
                  "  %-6s %s%n",
                  p.getKey(), sb.length() > 2 ? sb.substring(0, sb.length() - 2) : "");
            });
  }
}
