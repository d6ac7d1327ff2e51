package dev.switchboard.localnet.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Registration;
import dev.switchboard.config.Cidr;
import dev.switchboard.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the part of a {@link BrokerConfig} a local topology sets (identity, listeners, files,
 * trusted proxies, peers, registration, admin token file) as a broker config file, in JSON (which
 * the YAML reader takes); everything else keeps the file format's documented defaults.
 */
public final class BrokerConfigWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BrokerConfigWriter() {}

  public static void write(BrokerConfig c, Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", c.id()).put("hostname", c.hostname());
    ObjectNode listen = root.putObject("listen");
    listen.put("client", c.clientListen().toString()).put("admin", c.adminListen().toString());
    if (c.meshListen() != null) {
      listen.put("mesh", c.meshListen().toString());
    }
    ObjectNode tls = root.putObject("tls");
    tls.put("ca", abs(c.caFile())).put("cert", abs(c.certFile())).put("key", abs(c.keyFile()));
    if (c.crlFile() != null) {
      tls.put("crl", abs(c.crlFile()));
    }
    if (c.proxyProtocol()) {
      root.put("proxyProtocol", true);
      ArrayNode trusted = root.putArray("trustedProxies");
      for (Cidr p : c.trustedProxies()) {
        trusted.add(p.toString());
      }
    }
    if (!c.peers().isEmpty()) {
      ArrayNode peers = root.putArray("peers");
      for (PeerConfig p : c.peers()) {
        peers
            .addObject()
            .put("id", p.id())
            .put("hostname", p.hostname())
            .put("client", p.clientAddress().toString())
            .put("mesh", p.meshAddress().toString());
      }
    }
    Registration r = c.registration();
    if (r != null) {
      ObjectNode reg = root.putObject("register");
      reg.put("admin", r.admin().toString()).put("tokenFile", abs(r.tokenFile()));
      r.pools().forEach(reg.putArray("pools")::add);
      if (!r.backupPools().isEmpty()) {
        r.backupPools().forEach(reg.putArray("backupPools")::add);
      }
      reg.put("ip", r.ip()).put("ttl", Durations.format(r.ttl()));
    }
    root.putObject("admin").put("tokenFile", abs(c.admin().tokenFile()));
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().toString();
  }
}
