package dev.switchboard.anycast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Anycast the literal way: the same frontend address is configured in two point-of-presence network
 * namespaces, and each client namespace routes it to its own POP, so one address reaches a
 * different POP depending on where the client is. Runs only as root with {@code ip netns} (CI is
 * root); all addresses live inside the namespaces this test creates.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AnycastNamespaceTest {
  static final String ANYCAST = "10.99.0.1";
  final String tag = "sb" + (ProcessHandle.current().pid() % 10000);
  final List<String> namespaces = new ArrayList<>();
  final List<Process> processes = new ArrayList<>();

  @Test
  void oneAnycastAddressReachesTheClientsOwnPop() throws Exception {
    assumeTrue(ip("netns", "add", tag + "-probe") == 0, "needs root and ip netns");
    ip("netns", "del", tag + "-probe");
    String[][] regions = {{"us", "1"}, {"in", "2"}};
    for (String[] r : regions) {
      String pop = ns(tag + "-pop-" + r[0]);
      String cli = ns(tag + "-cli-" + r[0]);
      String vp = tag + "p" + r[0];
      String vc = tag + "c" + r[0];
      must("link", "add", vp, "netns", pop, "type", "veth", "peer", "name", vc, "netns", cli);
      must("-n", pop, "addr", "add", "10.77." + r[1] + ".1/30", "dev", vp);
      must("-n", cli, "addr", "add", "10.77." + r[1] + ".2/30", "dev", vc);
      for (String n : new String[] {pop, cli}) {
        must("-n", n, "link", "set", "lo", "up");
      }
      must("-n", pop, "link", "set", vp, "up");
      must("-n", cli, "link", "set", vc, "up");
      must("-n", pop, "addr", "add", ANYCAST + "/32", "dev", "lo"); // the same address in every POP
      must("-n", cli, "route", "add", ANYCAST + "/32", "via", "10.77." + r[1] + ".1");
      processes.add(java(pop, PopResponder.class.getName(), ANYCAST, "7443", "pop-" + r[0]));
    }
    for (String[] r : regions) {
      assertThat(ask(tag + "-cli-" + r[0])).isEqualTo("pop-" + r[0]);
    }
  }

  private String ask(String ns) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  javaBin(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  PopClient.class.getName(),
                  ANYCAST,
                  "7443")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() == 0) {
        return out;
      }
      Thread.sleep(200); // the responder JVM may still be starting
    }
    throw new AssertionError("no answer from " + ANYCAST + " in " + ns);
  }

  private Process java(String ns, String main, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                javaBin(),
                "-cp",
                System.getProperty("java.class.path"),
                main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String javaBin() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private String ns(String name) throws Exception {
    must("netns", "add", name);
    namespaces.add(name);
    return name;
  }

  private static void must(String... args) throws Exception {
    int rc = ip(args);
    if (rc != 0) {
      throw new IllegalStateException("ip " + String.join(" ", args) + " failed with " + rc);
    }
  }

  private static int ip(String... args) {
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add("ip");
      cmd.addAll(List.of(args));
      return new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (Exception e) {
      return -1;
    }
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    for (String n : namespaces) {
      ip("netns", "del", n); // deleting a namespace removes its veth ends and addresses
    }
  }
}
