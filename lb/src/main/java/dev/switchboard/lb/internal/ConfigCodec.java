package dev.switchboard.lb.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigMapper;
import dev.switchboard.config.Durations;
import dev.switchboard.lb.Backend;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.RuleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the model through the strict {@link ConfigMapper} (every error names the field) and writes
 * it back as JSON/YAML trees in the same syntax.
 */
public final class ConfigCodec {
  public static final ObjectMapper JSON = ConfigMapper.json();
  public static final ObjectMapper YAML = ConfigMapper.yaml();

  private ConfigCodec() {}

  /** Parses a YAML (or JSON, which is YAML) document from {@code source} into a model. */
  public static LbConfig parseYaml(String source, String text) {
    try {
      return ConfigMapper.readYaml(source, text, ConfigFile.Root.class).toModel();
    } catch (ConfigException e) {
      throw invalid(e);
    }
  }

  /** Reads and parses a YAML config file; errors name the file. */
  public static LbConfig load(Path file) {
    try {
      return ConfigMapper.read(file, ConfigFile.Root.class).toModel();
    } catch (ConfigException e) {
      throw invalid(e);
    }
  }

  /** A syntax error is MALFORMED, anything else about the content INVALID. */
  private static LbException invalid(ConfigException e) {
    boolean syntax =
        e.field() == null
            && (e.reason().startsWith("not valid") || e.reason().startsWith("empty document"));
    return new LbException(
        syntax ? LbException.Code.MALFORMED : LbException.Code.INVALID, e.getMessage(), e);
  }

  public static JsonNode tree(ObjectMapper mapper, String text) {
    try {
      JsonNode n = mapper.readTree(text);
      if (n == null || !n.isObject()) {
        throw new LbException(LbException.Code.MALFORMED, "expected a JSON/YAML object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new LbException(
          LbException.Code.MALFORMED, "malformed document: " + e.getOriginalMessage(), e);
    }
  }

  public static String toYaml(LbConfig c) {
    try {
      return YAML.writeValueAsString(write(c));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static LbConfig config(JsonNode n) {
    return read(n, ConfigFile.Root.class).toModel();
  }

  public static FrontendConfig frontend(JsonNode n) {
    return read(n, ConfigFile.Frontend.class).toModel();
  }

  public static PoolConfig pool(JsonNode n) {
    return read(n, ConfigFile.Pool.class).toModel();
  }

  /** A backend of an admin API request, and its lease when it has one. */
  public static Map.Entry<Backend, Optional<Duration>> leasedBackend(JsonNode n) {
    ConfigFile.LeasedBackend b = read(n, ConfigFile.LeasedBackend.class);
    return Map.entry(b.backend(), Optional.ofNullable(b.ttl()));
  }

  public static ProbeConfig probe(JsonNode n) {
    return read(n, ConfigFile.Probe.class).toModel();
  }

  public static RuleConfig rule(JsonNode n) {
    return read(n, ConfigFile.Rule.class).toModel();
  }

  private static <T> T read(JsonNode n, Class<T> type) {
    try {
      return ConfigMapper.convert("request body", n, type);
    } catch (ConfigException e) {
      throw invalid(e);
    }
  }

  // ---- writing ----

  public static ObjectNode write(LbConfig c) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode admin =
        n.putObject("admin").put("address", c.adminAddress()).put("port", c.adminPort());
    if (c.adminTokenFile() != null) {
      admin.put("tokenFile", c.adminTokenFile().toString());
    }
    if (!c.adminHosts().isEmpty()) {
      ArrayNode hs = admin.putArray("hosts");
      c.adminHosts().forEach(hs::add);
    }
    ArrayNode fs = n.putArray("frontends");
    c.frontends().forEach(f -> fs.add(write(f)));
    ArrayNode ps = n.putArray("pools");
    c.pools().forEach(p -> ps.add(write(p)));
    ArrayNode prs = n.putArray("probes");
    c.probes().forEach(p -> prs.add(write(p)));
    ArrayNode rs = n.putArray("rules");
    c.rules().forEach(r -> rs.add(write(r)));
    return n;
  }

  public static ObjectNode write(FrontendConfig f) {
    return JSON.createObjectNode().put("name", f.name()).put("ip", f.ip());
  }

  public static ObjectNode write(PoolConfig p) {
    ObjectNode n = JSON.createObjectNode().put("name", p.name());
    ArrayNode bs = n.putArray("backends");
    p.backends().forEach(b -> bs.add(write(b)));
    return n;
  }

  public static ObjectNode write(Backend b) {
    return JSON.createObjectNode()
        .put("ip", b.ip())
        .put("name", b.name())
        .put("priority", b.priority());
  }

  public static ObjectNode write(ProbeConfig p) {
    return JSON.createObjectNode()
        .put("name", p.name())
        .put("protocol", p.protocol().wireName())
        .put("port", p.port())
        .put("path", p.path())
        .put("interval", Durations.format(p.interval()))
        .put("threshold", p.threshold())
        .put("timeout", Durations.format(p.timeout()))
        .put("noHealthyBackendsBehavior", p.noHealthyBackendsBehavior().wireName());
  }

  public static ObjectNode write(RuleConfig r) {
    ObjectNode n =
        JSON.createObjectNode()
            .put("name", r.name())
            .put("frontend", r.frontend())
            .put("frontendPort", r.frontendPort())
            .put("protocol", r.protocol().wireName())
            .put("pool", r.pool())
            .put("backendPort", r.backendPort());
    if (r.probe() != null) {
      n.put("probe", r.probe());
    }
    n.put("distribution", r.distribution().wireName())
        .put("idleTimeout", Durations.format(r.idleTimeout()))
        .put("tcpReset", r.tcpReset())
        .put("proxyProtocol", r.proxyProtocol())
        .put("drain", Durations.format(r.drain()))
        .put("resetOnBackendDown", r.resetOnBackendDown())
        .put("connectTimeout", Durations.format(r.connectTimeout()))
        .put("connectAttempts", r.connectAttempts())
        .put("maxUdpFlows", r.maxUdpFlows())
        .put("maxUdpFlowsPerSource", r.maxUdpFlowsPerSource());
    if (!r.trustedProxies().isEmpty()) {
      ArrayNode t = n.putArray("trustedProxies");
      r.trustedProxies().forEach(c -> t.add(c.toString()));
    }
    if (r.sourceAddress() != null) {
      n.put("sourceAddress", r.sourceAddress());
    }
    return n;
  }
}
