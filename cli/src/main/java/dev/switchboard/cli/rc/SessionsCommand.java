package dev.switchboard.cli.rc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard sessions}: the live sessions of every broker of the mesh. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    header = "List or end the live sessions across the mesh.",
    description = {
      "Asks every broker's admin API (with the admin token) for the sessions it relays: who is",
      "on each side and from where, which broker relays it and which issued its code, since",
      "when, and the bytes each way."
    },
    subcommands = SessionsEndCommand.class)
public final class SessionsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin MeshAdmin mesh;

  @Option(
      names = "--json",
      description = "Print JSON: every session with certificate serials, and brokers not reached.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    List<MeshAdmin.BrokerAdmin> brokers = mesh.brokers();
    List<CompletableFuture<MeshAdmin.Answer>> pending = new ArrayList<>();
    for (MeshAdmin.BrokerAdmin b : brokers) {
      pending.add(mesh.send(b, "GET", "/sessions", null));
    }
    List<JsonNode> sessions = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    ObjectNode doc = UpState.JSON.createObjectNode();
    ArrayNode notReached = doc.putArray("notReached");
    for (CompletableFuture<MeshAdmin.Answer> f : pending) {
      MeshAdmin.Answer a = MeshAdmin.await(f);
      String why =
          a.error() != null ? a.error() : a.status() != 200 ? "answered HTTP " + a.status() : null;
      if (why != null) {
        missed.add(a.broker().id() + " (" + why + ")");
        notReached.addObject().put("broker", a.broker().id()).put("error", why);
        continue;
      }
      a.body().path("sessions").forEach(sessions::add);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      doc.putArray("sessions").addAll(sessions);
      out.println(UpState.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    } else {
      print(out, sessions);
    }
    out.flush();
    if (!missed.isEmpty()) {
      throw new CliException(
          ExitCodes.NETWORK,
          "not every broker answered, their sessions are not listed: " + String.join(", ", missed));
    }
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, List<JsonNode> sessions) {
    if (sessions.isEmpty()) {
      out.println("No live sessions.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "SESSION",
          "BROKER",
          "OWNER",
          "CONTROLLER",
          "FROM",
          "TARGET",
          "FROM",
          "STARTED",
          "BYTES C>T",
          "BYTES T>C"
        });
    for (JsonNode s : sessions) {
      rows.add(
          new String[] {
            s.path("sessionId").asText(),
            s.path("broker").asText(),
            s.path("ownerBroker").asText(),
            s.path("controller").path("name").asText(),
            s.path("controller").path("address").asText(),
            s.path("target").path("name").asText(),
            s.path("target").path("address").asText(),
            s.path("start").asText(),
            s.path("bytesControllerToTarget").asText(),
            s.path("bytesTargetToController").asText()
          });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(Printable.of(r[i])).append(" ".repeat(width[i] - r[i].length() + 2));
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
