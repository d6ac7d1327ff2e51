package dev.switchboard.cli.lb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.ExitCodes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lb status}: every rule and the state of each of its backends, as a table. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show rules and the health of every backend.")
final class LbStatus implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AdminOptions admin;

  @Override
  public Integer call() {
    AdminClient c = admin.client();
    JsonNode rules = c.send("GET", "/rules", null);
    JsonNode frontends = c.send("GET", "/frontends", null);
    JsonNode health = c.send("GET", "/health", null);
    Map<String, String> feIp = new HashMap<>();
    frontends.forEach(f -> feIp.put(f.get("name").asText(), f.get("ip").asText()));
    Table t =
        new Table("RULE", "LISTEN", "POOL", "BACKEND", "NAME", "PRIO", "STATE", "CONNS", "LEASE");
    for (JsonNode r : rules) {
      String rule = r.get("name").asText();
      String listen =
          r.get("protocol").asText()
              + " "
              + feIp.get(r.get("frontend").asText())
              + ":"
              + (r.has("boundPort") ? r.get("boundPort").asText() : r.get("frontendPort").asText());
      boolean any = false;
      for (JsonNode h : health) {
        if (!h.get("rule").asText().equals(rule)) {
          continue;
        }
        any = true;
        String state =
            h.get("state").asText() + (h.get("draining").asBoolean() ? " (draining)" : "");
        t.row(
            rule,
            listen,
            h.get("pool").asText(),
            h.get("ip").asText() + ":" + h.get("port").asText(),
            h.get("name").asText(),
            h.path("priority").asText("0"),
            state,
            h.get("activeConnections").asText(),
            h.has("leaseRemainingMillis")
                ? (h.get("leaseRemainingMillis").asLong() / 1000) + "s"
                : "-");
      }
      if (!any) {
        t.row(rule, listen, r.get("pool").asText(), "-", "-", "-", "no backends", "0", "-");
      }
    }
    t.print(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
