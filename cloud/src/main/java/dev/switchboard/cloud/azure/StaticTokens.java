package dev.switchboard.cloud.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/** Reads the expiry ({@code exp}, RFC 7519 section 4.1.4) of a bearer token without checking it. */
final class StaticTokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StaticTokens() {}

  static Optional<OffsetDateTime> expiry(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      JsonNode claims =
          JSON.readTree(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      if (!claims.path("exp").canConvertToLong()) {
        return Optional.empty();
      }
      return Optional.of(
          OffsetDateTime.ofInstant(
              Instant.ofEpochSecond(claims.path("exp").asLong()), ZoneOffset.UTC));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
