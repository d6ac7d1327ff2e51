package dev.switchboard.cli.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.config.BearerToken;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.TokenFile;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

/** Talks JSON to a load balancer's admin API and turns its errors into {@link CliException}s. */
final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String admin;
  private final Path tokenFile;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private BearerToken token;

  AdminClient(String admin, Path tokenFile) {
    if (!admin.matches("[^:/\\s]+:\\d{1,5}") && !admin.matches("\\[[0-9a-fA-F:]+\\]:\\d{1,5}")) {
      throw new CliException(ExitCodes.USAGE, "--admin must be HOST:PORT, got '" + admin + "'");
    }
    this.admin = admin;
    this.tokenFile = tokenFile;
  }

  private BearerToken token() {
    if (token == null) {
      try {
        token = TokenFile.read(tokenFile);
      } catch (ConfigException e) { // others may read it, or it holds no token
        throw new CliException(ExitCodes.CONFIG, e.getMessage(), e);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.CONFIG,
            "cannot read the lb admin token file "
                + tokenFile
                + " ("
                + e.getClass().getSimpleName()
                + "); give it with --admin-token-file FILE or $"
                + AdminOptions.TOKEN_ENV
                + " ('lb run' creates it beside its config, see admin.tokenFile in docs/lb.md)",
            e);
      }
    }
    return token;
  }

  /** Sends a request; returns the parsed body (null for an empty one). */
  JsonNode send(String method, String path, String body) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + admin + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", token().header())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpTimeoutException e) {
      throw new CliException(
          ExitCodes.NETWORK,
          "cannot reach the lb admin API at " + admin + ": " + e.getClass().getSimpleName(),
          e);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.NETWORK, "lb admin API at " + admin + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.RUNTIME, "interrupted", e);
    }
    JsonNode json = parse(res.body());
    if (res.statusCode() == 401) {
      throw new CliException(
          ExitCodes.REFUSED,
          "the lb at "
              + admin
              + " refused the admin token from "
              + tokenFile
              + " (401); give the lb's token file with --admin-token-file FILE");
    }
    if (res.statusCode() >= 400) {
      String code =
          json != null && json.has("error")
              ? json.get("error").asText()
              : "HTTP_" + res.statusCode();
      String msg = json != null && json.has("message") ? json.get("message").asText() : res.body();
      throw new CliException(
          res.statusCode() >= 500 ? ExitCodes.RUNTIME : ExitCodes.REFUSED,
          "lb refused the request (" + code + "): " + msg);
    }
    return json;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  static ObjectMapper json() {
    return JSON;
  }
}
