package dev.switchboard.dist;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.Controller;
import dev.switchboard.client.Resolver;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.testkit.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A broker config for the tests and a relayed session through the broker it describes. */
final class Brokers {
  private Brokers() {}

  /**
   * Writes {@code broker.yaml} beside the PKI: any free loopback ports, token in {@code state}. The
   * shortest resume window (3 s): once the broker has gone, a client tries to resume for that
   * window plus one credential refresh before the session ends, and the tests wait for that end.
   */
  static Path config(TestPki pki, String id, Path state) throws IOException {
    pki.broker(id);
    Path f = pki.dir().resolve("broker.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "id: " + id,
            "hostname: localhost",
            "listen: {client: 127.0.0.1:0, admin: 127.0.0.1:0}",
            "admin: {tokenFile: " + state.resolve("admin.token") + "}",
            "timeouts: {resumeWindow: 3s}",
            "tls: {ca: ca.pem, cert: " + id + ".pem, key: " + id + "-key.pem}",
            ""));
    return f;
  }

  static int healthz(int adminPort) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  /** A controller and a target joined through the broker at {@code port}: [controller, target]. */
  static Session[] session(TestPki pki, String id, int port) throws Exception {
    BrokerEndpoint b =
        new BrokerEndpoint(id, "localhost", new InetSocketAddress("127.0.0.1", port));
    Controller c =
        Controller.requestCode(
            pki.controllerOptions("alice"), b, Resolver.SYSTEM, SessionEvents.NONE);
    CompletableFuture<Session> cs =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return c.awaitSession();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    Session t = Target.join(pki.targetOptions("t1"), List.of(b), c.code(), SessionEvents.NONE);
    return new Session[] {cs.get(), t};
  }

  /** Sends {@code text} each way and returns what arrived, controller's then target's. */
  static String exchange(Session controller, Session target, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    controller.output().write(b);
    controller.output().flush();
    String atTarget = new String(target.input().readNBytes(b.length), StandardCharsets.UTF_8);
    target.output().write(b);
    target.output().flush();
    String atController =
        new String(controller.input().readNBytes(b.length), StandardCharsets.UTF_8);
    return atTarget + "|" + atController;
  }
}
