package dev.switchboard.lb.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.lb.Backend;
import dev.switchboard.lb.Distribution;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.NoHealthyBackendsBehavior;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.ProbeProtocol;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Maps the model to and from JSON/YAML trees, naming the offending field in every error. */
public final class ConfigCodec {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigCodec() {}

  /** Parses a YAML (or JSON, which is YAML) document into a model. */
  public static LbConfig parseYaml(String text) {
    return config(tree(YAML, text));
  }

  public static JsonNode tree(ObjectMapper mapper, String text) {
    try {
      JsonNode n = mapper.readTree(text);
      if (n == null || !n.isObject()) {
        throw new LbException(LbException.MALFORMED, "expected a JSON/YAML object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new LbException(LbException.MALFORMED, "malformed document: " + e.getOriginalMessage(), e);
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
    only(n, "config", Set.of("admin", "frontends", "pools", "probes", "rules"));
    String adminAddress = "127.0.0.1";
    int adminPort = 0;
    JsonNode a = n.get("admin");
    if (a != null) {
      only(a, "admin", Set.of("address", "port"));
      adminAddress = text(a, "admin.address", "address", "127.0.0.1");
      adminPort = integer(a, "admin.port", "port", 0);
    }
    List<FrontendConfig> fs = new ArrayList<>();
    for (JsonNode f : list(n, "frontends")) {
      fs.add(frontend(f));
    }
    List<PoolConfig> ps = new ArrayList<>();
    for (JsonNode p : list(n, "pools")) {
      ps.add(pool(p));
    }
    List<ProbeConfig> prs = new ArrayList<>();
    for (JsonNode p : list(n, "probes")) {
      prs.add(probe(p));
    }
    List<RuleConfig> rs = new ArrayList<>();
    for (JsonNode r : list(n, "rules")) {
      rs.add(rule(r));
    }
    return new LbConfig(adminAddress, adminPort, fs, ps, prs, rs);
  }

  public static FrontendConfig frontend(JsonNode n) {
    only(n, "frontend", Set.of("name", "ip"));
    return new FrontendConfig(required(n, "frontend", "name"), required(n, "frontend", "ip"));
  }

  public static PoolConfig pool(JsonNode n) {
    only(n, "pool", Set.of("name", "backends"));
    String name = required(n, "pool", "name");
    List<Backend> bs = new ArrayList<>();
    for (JsonNode b : list(n, "backends")) {
      bs.add(backend(b, Set.of("ip", "name", "priority")));
    }
    return new PoolConfig(name, bs);
  }

  public static Backend backend(JsonNode n, Set<String> allowed) {
    only(n, "backend", allowed);
    String ip = required(n, "backend", "ip");
    Addresses.parse(ip);
    return new Backend(ip, text(n, "backend.name", "name", null),
        integer(n, "backend " + ip + " priority", "priority", 0));
  }

  public static ProbeConfig probe(JsonNode n) {
    only(n, "probe", Set.of("name", "protocol", "port", "path", "interval", "threshold", "timeout",
        "noHealthyBackendsBehavior"));
    String name = required(n, "probe", "name");
    String f = "probe '" + name + "' ";
    return new ProbeConfig(name,
        ProbeProtocol.parse(text(n, f + "protocol", "protocol", "tcp")),
        integer(n, f + "port", "port", 0),
        text(n, f + "path", "path", "/"),
        duration(n, f + "interval", "interval", ProbeConfig.DEFAULT_INTERVAL),
        integer(n, f + "threshold", "threshold", ProbeConfig.DEFAULT_THRESHOLD),
        duration(n, f + "timeout", "timeout", null),
        NoHealthyBackendsBehavior.parse(text(n, f + "noHealthyBackendsBehavior",
            "noHealthyBackendsBehavior", "allProbedDown")));
  }

  public static RuleConfig rule(JsonNode n) {
    only(n, "rule", Set.of("name", "frontend", "frontendPort", "protocol", "pool", "backendPort",
        "probe", "distribution", "idleTimeout", "tcpReset", "proxyProtocol", "drain",
        "resetOnBackendDown", "connectTimeout", "connectAttempts", "maxUdpFlows"));
    String name = required(n, "rule", "name");
    String f = "rule '" + name + "' ";
    return RuleConfig.builder(name)
        .frontend(required(n, f.trim(), "frontend"))
        .frontendPort(integer(n, f + "frontendPort", "frontendPort", 0))
        .protocol(Protocol.parse(text(n, f + "protocol", "protocol", "tcp")))
        .pool(required(n, f.trim(), "pool"))
        .backendPort(integer(n, f + "backendPort", "backendPort", -1))
        .probe(text(n, f + "probe", "probe", null))
        .distribution(Distribution.parse(text(n, f + "distribution", "distribution", "default")))
        .idleTimeout(duration(n, f + "idleTimeout", "idleTimeout", RuleConfig.DEFAULT_IDLE_TIMEOUT))
        .tcpReset(bool(n, f + "tcpReset", "tcpReset"))
        .proxyProtocol(bool(n, f + "proxyProtocol", "proxyProtocol"))
        .drain(duration(n, f + "drain", "drain", RuleConfig.DEFAULT_DRAIN))
        .resetOnBackendDown(bool(n, f + "resetOnBackendDown", "resetOnBackendDown"))
        .connectTimeout(duration(n, f + "connectTimeout", "connectTimeout",
            RuleConfig.DEFAULT_CONNECT_TIMEOUT))
        .connectAttempts(integer(n, f + "connectAttempts", "connectAttempts",
            RuleConfig.DEFAULT_CONNECT_ATTEMPTS))
        .maxUdpFlows(integer(n, f + "maxUdpFlows", "maxUdpFlows", RuleConfig.DEFAULT_MAX_UDP_FLOWS))
        .build();
  }

  // ---- writing ----

  public static ObjectNode write(LbConfig c) {
    ObjectNode n = JSON.createObjectNode();
    n.putObject("admin").put("address", c.adminAddress()).put("port", c.adminPort());
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
    return JSON.createObjectNode().put("ip", b.ip()).put("name", b.name())
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
    ObjectNode n = JSON.createObjectNode()
        .put("name", r.name())
        .put("frontend", r.frontend())
        .put("frontendPort", r.frontendPort())
        .put("protocol", r.protocol().wireName())
        .put("pool", r.pool())
        .put("backendPort", r.backendPort());
    if (r.probe() != null) {
      n.put("probe", r.probe());
    }
    return n.put("distribution", r.distribution().wireName())
        .put("idleTimeout", Durations.format(r.idleTimeout()))
        .put("tcpReset", r.tcpReset())
        .put("proxyProtocol", r.proxyProtocol())
        .put("drain", Durations.format(r.drain()))
        .put("resetOnBackendDown", r.resetOnBackendDown())
        .put("connectTimeout", Durations.format(r.connectTimeout()))
        .put("connectAttempts", r.connectAttempts())
        .put("maxUdpFlows", r.maxUdpFlows());
  }

  // ---- field helpers ----

  private static void only(JsonNode n, String what, Set<String> allowed) {
    if (n == null || !n.isObject()) {
      throw new LbException(LbException.INVALID, what + " must be an object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new LbException(LbException.INVALID, what + ": unknown field '" + k + "'");
      }
    }
  }

  private static List<JsonNode> list(JsonNode n, String field) {
    JsonNode v = n.get(field);
    List<JsonNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new LbException(LbException.INVALID, field + " must be a list");
    }
    v.forEach(out::add);
    return out;
  }

  private static String required(JsonNode n, String what, String field) {
    String v = text(n, what + "." + field, field, null);
    if (v == null || v.isBlank()) {
      throw new LbException(LbException.INVALID, what + ": missing field '" + field + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String label, String field, String dflt) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isValueNode()) {
      throw new LbException(LbException.INVALID, label + " must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode n, String label, String field, int dflt) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isInt()) {
      return v.intValue();
    }
    if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
      return Integer.parseInt(v.asText());
    }
    throw new LbException(LbException.INVALID, label + " must be an integer, got " + v);
  }

  private static boolean bool(JsonNode n, String label, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    throw new LbException(LbException.INVALID, label + " must be true or false, got " + v);
  }

  private static Duration duration(JsonNode n, String label, String field, Duration dflt) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    return Durations.parse(label, v.asText());
  }
}
