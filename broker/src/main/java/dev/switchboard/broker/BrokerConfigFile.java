package dev.switchboard.broker;

import dev.switchboard.protocol.HostPort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a broker's YAML configuration file (docs/configuration.md). Relative paths resolve against the file's folder. */
public final class BrokerConfigFile {
  private BrokerConfigFile() {}

  /**
   * Loads and validates a config file.
   *
   * @throws IOException if the file cannot be read or a field is missing or invalid; the message
   *     names the file and the field
   */
  public static BrokerConfig load(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IOException(file + ": empty or not a mapping");
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      String id = text(root, "id");
      BrokerConfig c = BrokerConfig.defaults(
          id,
          root.path("hostname").asText("localhost"),
          HostPort.parse(text(root.path("listen"), "client")),
          HostPort.parse(text(root.path("listen"), "admin")),
          base.resolve(text(root.path("tls"), "ca")),
          base.resolve(text(root.path("tls"), "cert")),
          base.resolve(text(root.path("tls"), "key")));
      JsonNode codes = root.path("codes");
      if (codes.has("ttl")) {
        c = c.withCodeTtl(Durations.parse(codes.get("ttl").asText()));
      }
      c = c.withRateLimits(
          codes.path("failedJoinsPerAddressPerMinute").asInt(c.failedJoinsPerAddressPerMinute()),
          codes.path("failedJoinsPerBrokerPerMinute").asInt(c.failedJoinsPerBrokerPerMinute()));
      JsonNode t = root.path("timeouts");
      c = c.withTimeouts(
          t.has("handshake") ? Durations.parse(t.get("handshake").asText()) : c.handshakeTimeout(),
          t.has("control") ? Durations.parse(t.get("control").asText()) : c.controlTimeout(),
          t.has("idle") ? Durations.parse(t.get("idle").asText()) : c.idleTimeout());
      c = c.withProxyProtocol(root.path("proxyProtocol").asBoolean(false));
      if (root.path("listen").has("mesh")) {
        List<PeerConfig> peers = new ArrayList<>();
        for (JsonNode p : root.path("peers")) {
          peers.add(new PeerConfig(text(p, "id"), text(p, "hostname"),
              HostPort.parse(text(p, "client")), HostPort.parse(text(p, "mesh"))));
        }
        c = c.withMesh(HostPort.parse(text(root.path("listen"), "mesh")), peers);
      }
      JsonNode reg = root.path("register");
      if (!reg.isMissingNode()) {
        List<String> pools = new ArrayList<>();
        reg.path("pools").forEach(p -> pools.add(p.asText()));
        if (pools.isEmpty()) {
          throw new IllegalArgumentException("register.pools lists no pool");
        }
        c = c.withRegistration(new Registration(HostPort.parse(text(reg, "admin")), pools,
            reg.path("ip").asText(c.clientListen().host()),
            reg.has("ttl") ? Durations.parse(reg.get("ttl").asText()) : java.time.Duration.ofSeconds(10)));
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    return v.asText();
  }
}
