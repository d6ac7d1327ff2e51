package dev.switchboard.lb.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.Durations;
import dev.switchboard.lb.Backend;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.LbException;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.RuleConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The admin API's routes over {@link LbEngine}: every request runs on the control thread, and a
 * refused change leaves the model untouched.
 */
final class AdminRouter {
  private final LbEngine engine;

  AdminRouter(LbEngine engine) {
    this.engine = engine;
  }

  CompletableFuture<AdminResponse> handle(String method, String path, String body) {
    String[] seg = path.replaceAll("^/+|/+$", "").split("/+");
    if (seg.length == 1 && seg[0].equals("healthz")) {
      return CompletableFuture.completedFuture(new AdminResponse(200, "text/plain", "ok\n"));
    }
    if (seg.length == 1 && seg[0].equals("metrics")) {
      return CompletableFuture.completedFuture(AdminResponse.text(engine.metrics().render()));
    }
    return engine.submit(
        () -> {
          try {
            return route(method, seg, body);
          } catch (LbException e) {
            return AdminResponse.of(e);
          }
        });
  }

  private AdminResponse route(String m, String[] s, String body) {
    String root = s[0];
    switch (root) {
      case "config":
        if (s.length == 1 && m.equals("GET")) {
          return ok(ConfigCodec.write(engine.config()));
        }
        if (s.length == 1 && m.equals("PUT")) {
          // YAML is a superset of JSON, so a config file can be sent as is.
          LbConfig next = ConfigCodec.config(yaml(body));
          // The admin listener is fixed for the life of the process.
          engine.apply(next.withAdminOf(engine.config()));
          return ok(ConfigCodec.write(engine.config()));
        }
        break;
      case "health":
        if (s.length == 1 && m.equals("GET")) {
          return ok(health(engine.health()));
        }
        break;
      case "frontends":
        return crud(
            m,
            s,
            body,
            "frontend",
            c -> c.frontends(),
            f -> f.name(),
            ConfigCodec::frontend,
            ConfigCodec::write,
            LbConfig::withFrontend,
            LbConfig::withoutFrontend,
            (c, n) -> c.rules().stream().anyMatch(r -> r.frontend().equals(n)));
      case "probes":
        return crud(
            m,
            s,
            body,
            "probe",
            c -> c.probes(),
            p -> p.name(),
            ConfigCodec::probe,
            ConfigCodec::write,
            LbConfig::withProbe,
            LbConfig::withoutProbe,
            (c, n) -> c.rules().stream().anyMatch(r -> n.equals(r.probe())));
      case "rules":
        if (s.length == 3 && s[2].equals("health")) {
          return m.equals("GET") ? ruleHealth(s[1]) : notAllowed(m, s);
        }
        return crud(
            m,
            s,
            body,
            "rule",
            c -> c.rules(),
            r -> r.name(),
            ConfigCodec::rule,
            this::writeRule,
            LbConfig::withRule,
            LbConfig::withoutRule,
            (c, n) -> false);
      case "pools":
        if (s.length >= 3 && s[2].equals("backends")) {
          return backends(m, s, body);
        }
        return crud(
            m,
            s,
            body,
            "pool",
            c -> c.pools(),
            p -> p.name(),
            ConfigCodec::pool,
            this::writePool,
            LbConfig::withPool,
            LbConfig::withoutPool,
            (c, n) -> c.rules().stream().anyMatch(r -> r.pool().equals(n)));
      default:
        return AdminResponse.error(
            LbException.Code.NOT_FOUND, "no such endpoint: /" + String.join("/", s));
    }
    return notAllowed(m, s);
  }

  private <T> AdminResponse crud(
      String m,
      String[] s,
      String body,
      String kind,
      Function<LbConfig, List<T>> all,
      Function<T, String> nameOf,
      Function<JsonNode, T> read,
      Function<T, ObjectNode> write,
      BiFunction<LbConfig, T, LbConfig> with,
      BiFunction<LbConfig, String, LbConfig> without,
      BiPredicate<LbConfig, String> inUse) {
    LbConfig c = engine.config();
    if (s.length == 1) {
      if (m.equals("GET")) {
        ArrayNode a = ConfigCodec.JSON.createArrayNode();
        all.apply(c).forEach(x -> a.add(write.apply(x)));
        return ok(a);
      }
      if (m.equals("POST")) {
        T item = read.apply(json(body));
        if (find(all.apply(c), nameOf, nameOf.apply(item)) != null) {
          throw new LbException(
              LbException.Code.DUPLICATE_NAME,
              kind + " '" + nameOf.apply(item) + "' already exists");
        }
        engine.apply(with.apply(c, item));
        return AdminResponse.json(
            201, write.apply(find(all.apply(engine.config()), nameOf, nameOf.apply(item))));
      }
      return notAllowed(m, s);
    }
    if (s.length != 2) {
      return notAllowed(m, s);
    }
    String name = s[1];
    T existing = find(all.apply(c), nameOf, name);
    if (existing == null) {
      throw new LbException(LbException.Code.NOT_FOUND, "no " + kind + " '" + name + "'");
    }
    switch (m) {
      case "GET":
        return ok(write.apply(existing));
      case "PUT":
        {
          JsonNode n = json(body);
          if (n.isObject() && !n.has("name")) {
            ((ObjectNode) n).put("name", name);
          }
          T item = read.apply(n);
          if (!nameOf.apply(item).equals(name)) {
            throw new LbException(
                LbException.Code.INVALID,
                "the body names '" + nameOf.apply(item) + "' but the path names '" + name + "'");
          }
          engine.apply(with.apply(c, item));
          return ok(write.apply(find(all.apply(engine.config()), nameOf, name)));
        }
      case "DELETE":
        if (inUse.test(c, name)) {
          throw new LbException(
              LbException.Code.IN_USE, kind + " '" + name + "' is used by a rule");
        }
        engine.apply(without.apply(c, name));
        return new AdminResponse(204, "application/json", "");
      default:
        return notAllowed(m, s);
    }
  }

  private AdminResponse backends(String m, String[] s, String body) {
    String pool = s[1];
    if (s.length == 3 && m.equals("GET")) {
      return ok(members(pool));
    }
    if (s.length == 3 && m.equals("POST")) {
      Map.Entry<Backend, Optional<Duration>> leased = ConfigCodec.leasedBackend(json(body));
      Backend b = leased.getKey();
      engine.addBackend(pool, b, leased.getValue());
      for (JsonNode x : members(pool)) {
        if (x.get("ip").asText().equals(b.ip())) {
          return AdminResponse.json(201, x);
        }
      }
    }
    if (s.length == 4 && m.equals("GET")) {
      for (JsonNode x : members(pool)) {
        if (x.get("ip").asText().equals(s[3])) {
          return ok(x);
        }
      }
      throw new LbException(
          LbException.Code.NOT_FOUND, "pool '" + pool + "' has no backend " + s[3]);
    }
    if (s.length == 4 && m.equals("DELETE")) {
      engine.removeBackend(pool, s[3]);
      return new AdminResponse(204, "application/json", "");
    }
    if (s.length == 5 && s[4].equals("renew") && (m.equals("POST") || m.equals("PUT"))) {
      engine.renew(pool, s[3]);
      return new AdminResponse(204, "application/json", "");
    }
    return notAllowed(m, s);
  }

  private ArrayNode members(String pool) {
    ArrayNode a = ConfigCodec.JSON.createArrayNode();
    for (PoolState.Member mem : engine.members(pool)) {
      ObjectNode o = ConfigCodec.write(mem.backend);
      if (mem.leased()) {
        o.put("ttl", Durations.format(mem.ttl));
        o.put("leaseRemainingMillis", engine.leaseRemaining(mem).orElseThrow().toMillis());
      }
      a.add(o);
    }
    return a;
  }

  /** 200 while the rule has an eligible backend, else 503: what an upstream HTTP probe polls. */
  private AdminResponse ruleHealth(String rule) {
    int eligible = engine.eligible(rule).size();
    ObjectNode o =
        ConfigCodec.JSON
            .createObjectNode()
            .put("rule", rule)
            .put("eligible", eligible)
            .put("backends", engine.backendCount(rule));
    return AdminResponse.json(eligible > 0 ? 200 : 503, o);
  }

  private ObjectNode writePool(PoolConfig p) {
    ObjectNode o = ConfigCodec.write(p);
    o.set("backends", members(p.name()));
    return o;
  }

  private ObjectNode writeRule(RuleConfig r) {
    ObjectNode o = ConfigCodec.write(r);
    try {
      o.put("boundPort", engine.port(r.name(), r.protocol()));
    } catch (LbException e) {
      // Not bound (yet): no port to show.
    }
    return o;
  }

  private static ArrayNode health(List<BackendHealth> hs) {
    ArrayNode a = ConfigCodec.JSON.createArrayNode();
    for (BackendHealth h : hs) {
      ObjectNode o =
          a.addObject()
              .put("rule", h.rule())
              .put("pool", h.pool())
              .put("ip", h.ip())
              .put("name", h.name())
              .put("port", h.port())
              .put("state", h.up() ? "up" : "down")
              .put("draining", h.draining())
              .put("activeConnections", h.activeConnections())
              .put("priority", h.priority());
      h.leaseRemaining().ifPresent(d -> o.put("leaseRemainingMillis", d.toMillis()));
    }
    return a;
  }

  private static <T> T find(List<T> list, Function<T, String> nameOf, String name) {
    for (T t : list) {
      if (nameOf.apply(t).equals(name)) {
        return t;
      }
    }
    return null;
  }

  private static JsonNode json(String body) {
    if (body == null || body.isBlank()) {
      throw new LbException(
          LbException.Code.MALFORMED, "request body is empty; expected a JSON object");
    }
    return ConfigCodec.tree(ConfigCodec.JSON, body);
  }

  private static JsonNode yaml(String body) {
    if (body == null || body.isBlank()) {
      throw new LbException(
          LbException.Code.MALFORMED, "request body is empty; expected a JSON or YAML object");
    }
    return ConfigCodec.tree(ConfigCodec.YAML, body);
  }

  private static AdminResponse ok(JsonNode n) {
    return AdminResponse.json(200, n);
  }

  private static AdminResponse notAllowed(String m, String[] s) {
    return AdminResponse.error(
        LbException.Code.METHOD_NOT_ALLOWED, m + " is not supported on /" + String.join("/", s));
  }
}
