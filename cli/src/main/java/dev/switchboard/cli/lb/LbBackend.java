package dev.switchboard.cli.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.Durations;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lb backend add|rm|ls}: manages a pool's backends through the admin API. */
@Command(
    name = "backend",
    mixinStandardHelpOptions = true,
    description = "Add, remove or list the backends of a pool.",
    subcommands = {LbBackend.Add.class, LbBackend.Rm.class, LbBackend.Ls.class})
final class LbBackend implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: add, rm or ls");
  }

  static String path(String pool) {
    return "/pools/" + URLEncoder.encode(pool, StandardCharsets.UTF_8) + "/backends";
  }

  /** {@code lb backend add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      header = "Add (or update) a backend.",
      description = "Add (or update) a backend; with --ttl it must be renewed by re-adding it.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin AdminOptions admin;

    @Option(
        names = "--pool",
        required = true,
        paramLabel = "POOL",
        description = "The pool, as named in the load balancer's config.")
    String pool;

    @Option(
        names = "--ip",
        required = true,
        paramLabel = "IP",
        description = "The backend's address; the rule's backend port is added.")
    String ip;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "A label shown by 'lb status' (default: the IP).")
    String name;

    @Option(
        names = "--priority",
        paramLabel = "N",
        description = "Lower is preferred by rules with distribution priority (default: 0).")
    Integer priority;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "Lease, e.g. 30s: the backend is removed unless re-added or renewed in time.")
    String ttl;

    @Override
    public Integer call() {
      ObjectNode body = AdminClient.json().createObjectNode().put("ip", ip);
      if (name != null) {
        body.put("name", name);
      }
      if (priority != null) {
        body.put("priority", priority);
      }
      if (ttl != null) {
        try { // the syntax here; the lb refuses a lease outside its bounds, naming ttl
          Durations.parse("--ttl", ttl, Durations.CEILING);
        } catch (ConfigException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        body.put("ttl", ttl);
      }
      JsonNode b = admin.client().send("POST", path(pool), body.toString());
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "added "
              + b.get("ip").asText()
              + " ("
              + b.get("name").asText()
              + ") to pool "
              + pool
              + ", priority "
              + b.path("priority").asInt()
              + (b.has("ttl") ? ", lease " + b.get("ttl").asText() : ""));
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code lb backend rm}. */
  @Command(
      name = "rm",
      mixinStandardHelpOptions = true,
      header = "Remove a backend; its connections drain.",
      description = "Remove a backend; its connections drain for the rule's drain period.")
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin AdminOptions admin;

    @Option(
        names = "--pool",
        required = true,
        paramLabel = "POOL",
        description = "The pool, as named in the load balancer's config.")
    String pool;

    @Option(
        names = "--ip",
        required = true,
        paramLabel = "IP",
        description = "The address of the backend to remove.")
    String ip;

    @Override
    public Integer call() {
      admin.client().send("DELETE", path(pool) + "/" + ip, null);
      spec.commandLine().getOut().println("removed " + ip + " from pool " + pool);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** {@code lb backend ls}. */
  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List a pool's backends.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin AdminOptions admin;

    @Option(
        names = "--pool",
        required = true,
        paramLabel = "POOL",
        description = "The pool, as named in the load balancer's config.")
    String pool;

    @Override
    public Integer call() {
      JsonNode list = admin.client().send("GET", path(pool), null);
      Table t = new Table("IP", "NAME", "PRIORITY", "LEASE");
      for (JsonNode b : list) {
        t.row(
            b.get("ip").asText(),
            b.get("name").asText(),
            b.path("priority").asText("0"),
            b.has("leaseRemainingMillis")
                ? (b.get("leaseRemainingMillis").asLong() / 1000) + "s left"
                : "-");
      }
      t.print(spec.commandLine().getOut());
      return ExitCodes.OK;
    }
  }
}
