package dev.switchboard.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed network as docs/deploy.md builds it: {@code deploy/netns/seed.sh up} puts every broker,
 * regional lb, POP, client, the DNS server and the backbone in network namespaces of their own;
 * then the six steps run from a controller in the us client namespace and a target in the in one,
 * which know only hostnames (dnsmasq answers them); 16 MiB are checked each way; then the broker
 * the target used is killed (process and link) and the next session goes through its sibling. Runs
 * only as root with ip netns, dnsmasq, envsubst and curl (.ci/run installs them).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class NetnsSeedTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String[] HOSTNAMES = {
    "broker-us-1.company.com", "broker-us-2.company.com",
    "broker-in-3.company.com", "broker-in-4.company.com"
  };
  // Far more than the socket buffers and relay queues along the path hold at once, so every hop's
  // back-pressure takes part; 100 MiB proved no more here and took minutes on a loaded machine
  // (SingleBrokerSessionTest and RelayKillResumeTest move 100 MiB each way in one JVM).
  static final long BYTES = Long.getLong("netns.bytes", 16L << 20);
  final String prefix = "sbt" + (ProcessHandle.current().pid() % 10000);
  final List<Process> processes = new ArrayList<>();
  @TempDir Path tmp;
  Path state;
  Path logs;

  @Test
  void sixStepsOverRealDnsThenABrokerDiesAndTheNextSessionFailsOver() throws Exception {
    for (String tool : new String[] {"ip", "dnsmasq", "envsubst", "curl"}) {
      assumeTrue(run(List.of("sh", "-c", "command -v " + tool)) == 0, "needs " + tool);
    }
    assumeTrue(
        run(List.of("ip", "netns", "add", prefix + "-probe")) == 0, "needs root and ip netns");
    run(List.of("ip", "netns", "del", prefix + "-probe"));
    state = tmp.resolve("state");
    logs = Files.createDirectories(tmp.resolve("logs"));
    int up = seed("up");
    assertThat(up).as("seed.sh up; its output:\n%s", read(logs.resolve("seed-up.log"))).isZero();

    Session first = session(1, BYTES);
    assertThat(first.codeFrom).as("the controller's nearest broker").startsWith("broker-us-");
    assertThat(first.via).as("the target's fastest broker").startsWith("broker-in-");
    assertThat(first.controllerErr)
        .contains("reconnecting to " + first.via + ".company.com:7443")
        .contains("session ")
        .contains("via " + first.via);

    String dead = first.via;
    String sibling = dead.equals("broker-in-3") ? "broker-in-4" : "broker-in-3";
    long killedAt = System.nanoTime();
    long pid = Long.parseLong(read(state.resolve("run/" + dead + ".pid")).trim());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    assertThat(run(List.of("ip", "-n", prefix + "-" + dead, "link", "set", "eth-in", "down")))
        .isZero();

    Session second = session(2, 1L << 20);
    long failedOverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    assertThat(second.via).as("the next session avoids the dead broker").isEqualTo(sibling);
    System.out.printf(
        "NetnsSeedTest: %d bytes each way via %s; %s killed, next session via %s %d ms later%n",
        BYTES, first.via, dead, second.via, failedOverMs);

    // Health-following DNS: the dead broker's name is answered with its sibling's address.
    String siblingAddress = "10.99.0." + sibling.charAt(sibling.length() - 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(resolve("cli-in", dead + ".company.com"))
                    .startsWith(siblingAddress + " "));
  }

  record Session(String codeFrom, String via, String controllerErr) {}

  /** Steps 1-6 with hostnames only, then {@code bytes} checked each way through the session. */
  private Session session(int n, long bytes) throws Exception {
    Path pki = state.resolve("hosts/cli-us/etc/switchboard/pki");
    List<String> brokers = new ArrayList<>();
    for (String h : HOSTNAMES) {
      brokers.addAll(List.of("--broker", h + ":7443"));
    }
    List<String> ctl = new ArrayList<>(List.of("controller", "--pki", pki.toString()));
    ctl.addAll(List.of("--name", "alice", "--listen", "127.0.0.1:2222", "--verbose"));
    ctl.addAll(brokers);
    Path ctlOut = logs.resolve("controller-" + n + ".out");
    Path ctlErr = logs.resolve("controller-" + n + ".err");
    Process controller = start("cli-us", cli(ctl), ctlOut, ctlErr);
    Pattern codeLine = Pattern.compile("Connection code: (\\S+)\\s+\\(from (\\S+),");
    Matcher m =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> codeLine.matcher(read(ctlOut)), Matcher::find);
    String code = m.group(1);
    String codeFrom = m.group(2);

    Path serveOut = logs.resolve("service-" + n + ".out");
    start("cli-in", peer("serve", 2223, bytes, 2, 1), serveOut, serveOut);
    await().atMost(Duration.ofSeconds(60)).until(() -> read(serveOut).contains("listening"));
    Path pkiIn = state.resolve("hosts/cli-in/etc/switchboard/pki");
    List<String> tgt = new ArrayList<>(List.of("target", "--pki", pkiIn.toString(), "--name"));
    tgt.addAll(List.of("t1", "--code", code, "--to", "127.0.0.1:2223", "--verbose"));
    tgt.addAll(brokers);
    Path tgtErr = logs.resolve("target-" + n + ".err");
    start("cli-in", cli(tgt), logs.resolve("target-" + n + ".out"), tgtErr);
    Pattern viaLine = Pattern.compile("session \\S+ with alice via (\\S+)");
    Matcher v =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> viaLine.matcher(read(tgtErr)), Matcher::find);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> read(ctlOut).contains("listening on 127.0.0.1:2222"));

    Path userOut = logs.resolve("user-" + n + ".out");
    Process user = start("cli-us", peer("connect", 2222, bytes, 1, 2), userOut, userOut);
    assertThat(user.waitFor(4, TimeUnit.MINUTES)).as("the user's byte check ends").isTrue();
    assertThat(read(userOut)).as("controller side").contains("ok sent " + bytes);
    await().atMost(Duration.ofSeconds(60)).until(() -> read(serveOut).contains("ok sent"));
    assertThat(read(serveOut)).as("target side").contains("ok sent " + bytes);
    // A listening controller keeps its session until Ctrl-C (SIGTERM alike): the next session's
    // controller needs the port.
    controller.destroy();
    assertThat(controller.waitFor(60, TimeUnit.SECONDS)).as("the controller stops").isTrue();
    assertThat(controller.exitValue()).as("a controller stopped by a signal").isZero();
    return new Session(codeFrom, v.group(1), read(ctlErr));
  }

  private List<String> cli(List<String> args) {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.add("dev.switchboard.cli.Switchboard");
    cmd.addAll(args);
    return cmd;
  }

  private List<String> peer(String mode, int port, long bytes, int sendSeed, int expectSeed) {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(List.of(BytePeer.class.getName(), mode, "127.0.0.1", String.valueOf(port)));
    cmd.addAll(
        List.of(String.valueOf(bytes), String.valueOf(sendSeed), String.valueOf(expectSeed)));
    return cmd;
  }

  private static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx160m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"));
  }

  private Process start(String host, List<String> cmd, Path out, Path err) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + host));
    full.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.PIPE);
    if (out.equals(err)) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(err.toFile());
    }
    Process p = pb.redirectOutput(out.toFile()).start();
    processes.add(p);
    return p;
  }

  private String resolve(String host, String name) throws Exception {
    Path out = logs.resolve("getent.out");
    Process p =
        new ProcessBuilder("ip", "netns", "exec", prefix + "-" + host, "getent", "hosts", name)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    p.waitFor(10, TimeUnit.SECONDS);
    return read(out);
  }

  private int seed(String action) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                REPO.resolve("deploy/netns/seed.sh").toString(),
                action,
                "--prefix",
                prefix,
                "--state",
                state.toString())
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve("seed-" + action + ".log").toFile());
    List<String> sb = new ArrayList<>(javaCommand());
    sb.add("dev.switchboard.cli.Switchboard");
    pb.environment().put("SWITCHBOARD", String.join(" ", sb));
    pb.environment().put("SEED_READY_TIMEOUT", "180");
    Process p = pb.start();
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      return -1;
    }
    return p.exitValue();
  }

  private static int run(List<String> cmd) {
    try {
      return new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (state != null) {
      seed("down"); // every process it started, every namespace it made
    }
  }
}
