package dev.switchboard.cloud.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local stand-in for Azure Resource Manager over HTTPS on 127.0.0.1 (the SDK sends bearer tokens
 * only over HTTPS): records every request and answers like ARM for the resources Switchboard uses —
 * PUT stores the resource and returns it with {@code provisioningState: Succeeded} (201 when new)
 * and ids on it and its children, allocating addresses the way ARM does; GET returns a resource or
 * a collection; PATCH merges tags; DELETE removes (200, or 204 if absent).
 *
 * <p>As strict as ARM where Switchboard depends on it: every PUT and DELETE is a long-running
 * operation (201/202 with {@code Azure-AsyncOperation}, polled to {@code Succeeded}); each resource
 * carries an etag and a PUT with a stale {@code If-Match} gets 412; it refuses bodies that break
 * the documented limits (more than 5 ports on a container group, frontend ports above 65534, tag
 * values over 256 characters, probes that are not Tcp/Http/Https) and a container group in a subnet
 * without a network security group (where ARM would accept it but no traffic would arrive); and
 * tests can make the next matching request fail (429 with Retry-After, 409, ...).
 */
final class ArmStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "changeit";

  /** One recorded request; {@code body} is null when there was none. */
  record Request(String method, String path, JsonNode body, String ifMatch) {
    /** The path from the resource type on: {@code publicIPAddresses/voip}. */
    String resource() {
      int i = path.indexOf("/providers/");
      String rest = i < 0 ? path : path.substring(i + "/providers/".length());
      return rest.substring(rest.indexOf('/') + 1);
    }

    @Override
    public String toString() {
      return method + " " + resource();
    }
  }

  private final HttpsServer server;
  private final X509Certificate certificate;
  private final List<Request> requests = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();
  private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
  private final List<Fault> faults = new ArrayList<>();
  private final Map<String, Runnable> before = new LinkedHashMap<>();
  private int nextPublic = 4;
  private int operations;

  /** A one-shot failure of the next request whose {@code toString()} equals {@code request}. */
  record Fault(String request, int status, String code, String retryAfter) {}

  private int nextPrivate = 4;

  /** One key pair per test JVM: keytool is a JVM start of its own. */
  private static byte[] keystore;

  private static synchronized byte[] keystore(Path dir) throws Exception {
    if (keystore == null) {
      Path ks = dir.resolve("arm-stub.p12");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "arm",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=127.0.0.1",
                  "-ext",
                  "san=ip:127.0.0.1",
                  "-validity",
                  "2",
                  "-keystore",
                  ks.toString(),
                  "-storetype",
                  "PKCS12",
                  "-storepass",
                  PASSWORD,
                  "-keypass",
                  PASSWORD)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      keystore = Files.readAllBytes(ks);
      Files.delete(ks);
    }
    return keystore;
  }

  ArmStub(Path dir) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(keystore(dir)), PASSWORD.toCharArray());
    certificate = (X509Certificate) store.getCertificate("arm");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  X509Certificate certificate() {
    return certificate;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every request but reads: the creations, updates and deletions, in order. */
  synchronized List<Request> changes() {
    return requests.stream().filter(r -> !r.method().equals("GET")).toList();
  }

  /** The operation-status polls clients made (each long-running operation needs one at least). */
  synchronized long polls() {
    return requests.stream().filter(r -> r.path().startsWith("/operations/")).count();
  }

  /** The Authorization header of every request. */
  synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Makes the next request matching {@code request} (e.g. "PUT loadBalancers/voip-lb") fail. */
  synchronized void failNext(String request, int status, String code, String retryAfter) {
    faults.add(new Fault(request, status, code, retryAfter));
  }

  /**
   * Runs {@code change} once, just before the next request matching {@code request} is handled (a
   * concurrent writer).
   */
  synchronized void beforeNext(String request, Runnable change) {
    before.put(request, change);
  }

  /** Gives a stored resource a new etag, as a write by someone else would. */
  synchronized void touch(String path) {
    resources.get(path.toLowerCase(Locale.ROOT)).put("etag", newEtag());
  }

  synchronized void clear() {
    authorizations.clear();
    requests.clear();
  }

  /**
   * The stored resource at a path (ARM paths are case-insensitive), for tests that change it behind
   * the SDK's back.
   */
  synchronized ObjectNode resource(String path) {
    return resources.get(path.toLowerCase(Locale.ROOT));
  }

  synchronized void remove(String path) {
    resources.remove(path.toLowerCase(Locale.ROOT));
  }

  private synchronized void handle(HttpExchange ex) {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
      requests.add(
          new Request(
              method,
              path,
              body == null ? null : body.deepCopy(),
              ex.getRequestHeaders().getFirst("If-Match")));
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      String key = path.toLowerCase(Locale.ROOT);
      if (path.startsWith("/operations/")) {
        send(ex, 200, JSON.createObjectNode().put("status", "Succeeded"));
        return;
      }
      Request r = requests.get(requests.size() - 1);
      for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
        Fault f = it.next();
        if (f.request().equals(r.toString())) {
          it.remove();
          if (f.retryAfter() != null) {
            ex.getResponseHeaders().set("Retry-After", f.retryAfter());
          }
          send(ex, f.status(), error(f.code(), "injected by the test"));
          return;
        }
      }
      Runnable concurrent = before.remove(r.toString());
      if (concurrent != null) {
        concurrent.run();
      }
      String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
      if (method.equals("PUT") && ifMatch != null) {
        ObjectNode old = resources.get(key);
        if (old == null || !ifMatch.equals(old.path("etag").asText())) {
          send(
              ex,
              412,
              error(
                  "PreconditionFailed",
                  "Precondition failed: the etag " + ifMatch + " does not match the resource's"));
          return;
        }
      }
      if (method.equals("PUT")) {
        String refused = Limits.refusal(key, body, this::resourceAt);
        if (refused != null) {
          send(ex, 400, error("InvalidRequestContent", refused));
          return;
        }
      }
      switch (method) {
        case "PUT" -> put(ex, path, key, (ObjectNode) body);
        case "GET" -> get(ex, path, key);
        case "PATCH" -> patch(ex, path, key, body);
        case "DELETE" -> delete(ex, key);
        default -> send(ex, 405, error("MethodNotAllowed", method));
      }
    } catch (Exception e) {
      try {
        send(ex, 500, error("InternalServerError", String.valueOf(e)));
      } catch (Exception ignored) {
        // The client is gone.
      }
    }
  }

  private void put(HttpExchange ex, String path, String key, ObjectNode body) throws Exception {
    boolean created = !resources.containsKey(key);
    String[] seg = path.split("/");
    decorate(body, path, seg[seg.length - 1], typeOf(path));
    ObjectNode props = body.with("properties");
    if (key.contains("/publicipaddresses/")) {
      ObjectNode old = resources.get(key);
      props.put(
          "ipAddress",
          old != null
              ? old.path("properties").path("ipAddress").asText()
              : "20.50.0." + nextPublic++);
    }
    if (key.contains("/containergroups/")) {
      JsonNode ip = props.path("ipAddress");
      if (ip.isObject()) {
        String type = ip.path("type").asText();
        ((ObjectNode) ip)
            .put(
                "ip",
                type.equals("Private") ? "10.0.1." + nextPrivate++ : "20.60.0." + nextPublic++);
      }
      props.with("instanceView").put("state", "Running");
    }
    for (String child :
        List.of(
            "frontendIPConfigurations",
            "backendAddressPools",
            "probes",
            "loadBalancingRules",
            "securityRules",
            "subnets")) {
      if (props.path(child).isArray()) {
        for (JsonNode c : props.path(child)) {
          decorate(
              (ObjectNode) c,
              path + "/" + child + "/" + c.path("name").asText(),
              c.path("name").asText(),
              null);
        }
      }
    }
    int pools = key.indexOf("/backendaddresspools/");
    if (pools > 0) {
      ObjectNode lb = resources.get(key.substring(0, pools));
      if (lb == null) {
        send(ex, 404, error("ParentResourceNotFound", path));
        return;
      }
      ArrayNode list = lb.with("properties").withArray("backendAddressPools");
      for (Iterator<JsonNode> it = list.iterator(); it.hasNext(); ) {
        if (it.next().path("name").asText().equals(body.path("name").asText())) {
          it.remove();
        }
      }
      list.add(body);
      send(ex, 200, body);
      return;
    }
    body.put("etag", newEtag());
    resources.put(key, body);
    asyncHeaders(ex);
    // Still in progress as far as the first answer goes: the client has to poll.
    ObjectNode answer = body.deepCopy();
    answer.with("properties").put("provisioningState", "Updating");
    send(ex, created ? 201 : 200, answer);
  }

  private ObjectNode resourceAt(String id) {
    return resources.get(id.toLowerCase(Locale.ROOT));
  }

  /** Long-running: the client must poll the operation before the final GET. */
  private void asyncHeaders(HttpExchange ex) {
    String op = url() + "operations/" + ++operations;
    ex.getResponseHeaders().set("Azure-AsyncOperation", op);
    ex.getResponseHeaders().set("Retry-After", "0");
  }

  private static String newEtag() {
    return "W/\"" + UUID.randomUUID() + "\"";
  }

  private void get(HttpExchange ex, String path, String key) throws Exception {
    if (resources.containsKey(key)) {
      send(ex, 200, resources.get(key));
      return;
    }
    int pools = key.indexOf("/backendaddresspools/");
    if (pools > 0 && resources.containsKey(key.substring(0, pools))) {
      String name = key.substring(key.lastIndexOf('/') + 1);
      for (JsonNode p :
          resources.get(key.substring(0, pools)).path("properties").path("backendAddressPools")) {
        if (p.path("name").asText().toLowerCase(Locale.ROOT).equals(name)) {
          send(ex, 200, p);
          return;
        }
      }
    }
    if (typeOf(path + "/x") != null && key.matches(".*/providers/[^/]+/[^/]+")) {
      ObjectNode list = JSON.createObjectNode();
      ArrayNode value = list.putArray("value");
      resources.forEach(
          (k, v) -> {
            if (k.startsWith(key + "/") && k.indexOf('/', key.length() + 1) < 0) {
              ObjectNode item = v.deepCopy();
              // As ARM: a list of container groups leaves out each group's instance view.
              ((ObjectNode) item.path("properties")).remove("instanceView");
              value.add(item);
            }
          });
      send(ex, 200, list);
      return;
    }
    send(ex, 404, error("ResourceNotFound", "The Resource '" + path + "' was not found."));
  }

  private void patch(HttpExchange ex, String path, String key, JsonNode body) throws Exception {
    ObjectNode r = resources.get(key);
    if (r == null) {
      send(ex, 404, error("ResourceNotFound", "The Resource '" + path + "' was not found."));
      return;
    }
    if (body != null && body.has("tags")) {
      r.set("tags", body.get("tags"));
    }
    send(ex, 200, r);
  }

  private void delete(HttpExchange ex, String key) throws Exception {
    if (resources.remove(key) == null) {
      ex.sendResponseHeaders(204, -1);
      return;
    }
    resources.keySet().removeIf(k -> k.startsWith(key + "/"));
    asyncHeaders(ex);
    ex.getResponseHeaders().set("Location", url() + "operations/" + operations);
    ex.sendResponseHeaders(202, -1);
  }

  private static void decorate(ObjectNode node, String id, String name, String type) {
    node.put("id", id);
    node.put("name", name);
    if (type != null) {
      node.put("type", type);
    }
    node.with("properties").put("provisioningState", "Succeeded");
  }

  private static String typeOf(String path) {
    int i = path.indexOf("/providers/");
    if (i < 0) {
      return null;
    }
    String[] seg = path.substring(i + "/providers/".length()).split("/");
    return seg.length >= 3 ? seg[0] + "/" + seg[1] : null;
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode n = JSON.createObjectNode();
    n.with("error").put("code", code).put("message", message);
    return n;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws Exception {
    byte[] out = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
