package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Durations;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.localnet.LocalTopology;
import dev.switchboard.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The control endpoint of a running {@code switchboard up} (loopback only): {@code GET /tiers}
 * reports every tier's health, {@code POST /brokers/ID/drain?deadline=30s} drains one broker.
 */
final class UpControl implements AutoCloseable {
  private final HttpServer server;
  private final LocalTopology net;

  private UpControl(HttpServer server, LocalTopology net) {
    this.server = server;
    this.net = net;
  }

  static UpControl start(LocalTopology net) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    UpControl c = new UpControl(s, net);
    s.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "up-control");
              t.setDaemon(true);
              return t;
            }));
    s.createContext("/tiers", c::tiers);
    s.createContext("/brokers/", c::drain);
    s.start();
    return c;
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void tiers(HttpExchange ex) throws IOException {
    Topology t = net.topology();
    ObjectNode root = UpState.JSON.createObjectNode();
    ObjectNode pops = root.putObject("pops");
    ObjectNode regions = root.putObject("regions");
    for (Topology.Region r : t.regions()) {
      if (net.fullPath()) {
        ArrayNode rules = pops.putArray(r.id());
        for (Topology.BrokerSpec b : t.brokers()) {
          ObjectNode n = rules.addObject().put("hostname", b.hostname());
          String routed = null;
          int best = Integer.MAX_VALUE;
          for (BackendHealth h : net.globalLb(r.id()).health()) {
            if (h.rule().equals("g-" + b.id())) {
              n.put(h.name(), h.up() ? "up" : "down");
              if (h.up() && h.priority() < best) {
                best = h.priority();
                routed = h.name();
              }
            }
          }
          n.put("routesTo", routed == null ? "nowhere" : routed);
        }
        LoadBalancer lb = net.regionalLb(r.id());
        ObjectNode reg = regions.putObject(r.id());
        reg.put("lb", lb == null ? "stopped" : "running");
        if (lb != null) {
          ArrayNode backends = reg.putArray("backends");
          for (BackendHealth h : lb.health()) {
            if (h.rule().startsWith("r-")
                && t.broker(h.rule().substring(2))
                    .map(x -> x.region().equals(r.id()))
                    .orElse(false)) {
              backends
                  .addObject()
                  .put("rule", h.rule())
                  .put("broker", h.name())
                  .put("up", h.up())
                  .put("draining", h.draining())
                  .put("backupFor", h.priority() > 0 ? h.rule().substring(2) : "")
                  .put("leaseMs", h.leaseRemaining().map(Duration::toMillis).orElse(-1L));
            }
          }
        }
      }
    }
    ObjectNode brokers = root.putObject("brokers");
    for (Topology.BrokerSpec b : t.brokers()) {
      brokers.put(b.id(), net.running(b.id()) ? "running" : "stopped");
    }
    reply(ex, 200, root.toString());
  }

  private void drain(HttpExchange ex) throws IOException {
    String[] parts = ex.getRequestURI().getPath().split("/");
    if (!"POST".equals(ex.getRequestMethod()) || parts.length != 4 || !parts[3].equals("drain")) {
      reply(ex, 404, "{\"error\":\"use POST /brokers/ID/drain?deadline=30s\"}");
      return;
    }
    String id = parts[2];
    if (!net.running(id)) {
      reply(ex, 404, "{\"error\":\"no running broker " + id + "\"}");
      return;
    }
    String q = ex.getRequestURI().getQuery();
    Duration deadline;
    try {
      deadline =
          q != null && q.startsWith("deadline=")
              ? Durations.parse("deadline", q.substring(9), BrokerConfig.MAX_DRAIN_DEADLINE)
              : Duration.ofSeconds(30);
    } catch (ConfigException e) {
      reply(ex, 400, UpState.JSON.createObjectNode().put("error", e.getMessage()).toString());
      return;
    }
    net.drainBroker(id, deadline); // blocks until drained: the caller waits for the answer
    reply(ex, 200, "{\"drained\":\"" + id + "\"}");
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
