package dev.switchboard.cli.rc;

import dev.switchboard.cli.CliException;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.Printable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code switchboard sessions end ID}: the broker relaying it ends it for both sides. */
@Command(
    name = "end",
    mixinStandardHelpOptions = true,
    header = "End a live session; both sides see ENDED_BY_OPERATOR and the reason.",
    description = {
      "Asks the brokers' admin APIs to end session ID (from `switchboard sessions`). The broker",
      "relaying it sends both clients CLOSE with ENDED_BY_OPERATOR and the reason, and records",
      "that in its audit log."
    })
public final class SessionsEndCommand implements Callable<Integer> {
  /** The broker refuses longer reasons: both sides get it inside a CLOSE. */
  static final int MAX_REASON = 200;

  @Spec CommandSpec spec;
  @Mixin MeshAdmin mesh;
  @ParentCommand SessionsCommand parent;

  @Parameters(index = "0", paramLabel = "ID", description = "The session's id.")
  String id;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description =
          "Why, shown to both sides and written to the audit log (at most "
              + MAX_REASON
              + " characters, no control characters).")
  String reason = "";

  @Override
  public Integer call() {
    mesh.inherit(parent.mesh);
    if (!id.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new CliException(
          ExitCodes.USAGE, "ID: '" + Printable.of(id) + "' is not a session id (see `sessions`)");
    }
    if (reason.codePointCount(0, reason.length()) > MAX_REASON) {
      throw new CliException(
          ExitCodes.USAGE, "--reason: longer than " + MAX_REASON + " characters");
    }
    if (!Printable.of(reason).equals(reason)) {
      throw new CliException(
          ExitCodes.USAGE, "--reason: must not contain control or formatting characters");
    }
    String body = UpState.JSON.createObjectNode().put("reason", reason).toString();
    List<MeshAdmin.BrokerAdmin> brokers = new ArrayList<>(mesh.brokers());
    // Ids start with the id of the broker that minted them: most often the one relaying.
    brokers.sort(Comparator.comparing(b -> id.startsWith(b.id() + "-") ? 0 : 1));
    List<String> missed = new ArrayList<>();
    for (MeshAdmin.BrokerAdmin b : brokers) {
      MeshAdmin.Answer a = MeshAdmin.await(mesh.send(b, "POST", "/sessions/" + id + "/end", body));
      if (a.status() == 200) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Ended session " + id + " on broker " + b.id() + "; both sides were told.");
        out.flush();
        return ExitCodes.OK;
      }
      if (a.status() == 400) {
        String m = a.body() == null ? "HTTP 400" : a.body().path("message").asText();
        throw new CliException(ExitCodes.USAGE, "broker " + b.id() + " refused: " + m);
      }
      if (a.status() != 404) {
        missed.add(
            b.id() + " (" + (a.error() != null ? a.error() : "answered HTTP " + a.status()) + ")");
      }
    }
    if (!missed.isEmpty()) {
      throw new CliException(
          ExitCodes.NETWORK,
          "no broker that answered relays session "
              + id
              + "; not reached: "
              + String.join(", ", missed));
    }
    throw new CliException(
        ExitCodes.REFUSED,
        "no broker relays session " + id + " (it ended, or the id is mistyped; see `sessions`)");
  }
}
