package dev.switchboard.cli.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cli.Switchboard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The provisioning commands in-process on the local provider: output, exit codes, state and real
 * traffic.
 */
class CloudCliTest {
  @TempDir Path dir;
  private final List<String> cleanup = new ArrayList<>();

  record Result(int code, String out, String err) {}

  private Result sb(String... args) {
    CommandLine cl = Switchboard.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--state-dir",
            dir.toString(),
            "--local-probe-interval-ms",
            "300",
            "--container-engine",
            "none"));
    int code = cl.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @AfterEach
  void stopEverything() throws Exception {
    // If a test failed half-way, remove what it made so no agent or task outlives it.
    Path state = dir.resolve("local/state.json");
    if (Files.exists(state)) {
      String json = Files.readString(state);
      for (String key : List.of("\"agentPid\" : ", "\"pid\" : ")) {
        int i = 0;
        while ((i = json.indexOf(key, i)) >= 0) {
          i += key.length();
          int end = i;
          while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
          }
          if (end > i) {
            ProcessHandle.of(Long.parseLong(json.substring(i, end)))
                .ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
    }
  }

  @Test
  void theSeedsWorkflowEndToEnd() throws Exception {
    Result created = sb("ip", "create", "voip", "--with-load-balancer");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out())
        .startsWith("created public IP voip 127.77.0.1 [with Load Balancer]")
        .contains(
            "load balancer voip-lb: frontend voip-frontend on 127.77.0.1, backend pool voip-backend-pool")
        .contains(
            "subnet voip-lb-subnet 127.78.0.0/16 delegated to Microsoft.ContainerInstance/containerGroups")
        .contains(
            "tags: has_nat_stack=false has_load_balancer=true lb_name=voip-lb managed_by=switchboard");
    assertThat(sb("ip", "create", "nat-ip", "--with-nat-stack").code()).isZero();
    assertThat(sb("ip", "create", "spare").code()).isZero();
    assertThat(sb("ip", "select", "voip").out())
        .isEqualTo("selected voip 127.77.0.1 [with Load Balancer]\n");
    assertThat(sb("ip", "ls").out())
        .isEqualTo(
            "  nat-ip  127.77.0.2      [with NAT stack]\n"
                + "  spare   127.77.0.3      [standalone]\n"
                + "* voip    127.77.0.1      [with Load Balancer]\n");

    int port = freePort();
    Result run =
        sb(
            "run",
            "voip-server",
            "-im",
            "asterisk:latest",
            "-t",
            echoTask(),
            "--bidirectional",
            "--expose-port",
            port + ":udp",
            "--expose-port",
            port + ":tcp",
            "--use-load-balancer");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("deployed voip-server (asterisk:latest): Running, private address 127.78.0.1")
        .contains(
            "published on 127.77.0.1 (voip) through voip-lb: rule-"
                + port
                + "-UDP rule-"
                + port
                + "-TCP -> pool pool-voip-server (this group only)\n"
                + "  probe probe-voip-server: tcp "
                + port
                + " every 5 s; after 2 failures in a row the group gets no new flows until the"
                + " probe succeeds again\n");
    String ls = sb("ls").out();
    assertThat(ls)
        .contains("NAME")
        .contains("voip-server")
        .contains("Running")
        .contains("127.77.0.1 (voip)");

    assertThat(poll(() -> udp("127.77.0.1", port, "INVITE"))).isEqualTo("127.78.0.1: INVITE");
    assertThat(poll(() -> tcp("127.77.0.1", port, "OPTIONS"))).isEqualTo("127.78.0.1: OPTIONS");

    Result busy = sb("ip", "rm-lb", "voip");
    assertThat(busy.code()).isEqualTo(4);
    assertThat(busy.err())
        .isEqualTo(
            "switchboard: ip rm-lb voip: container group(s) voip-server still use its load balancer; remove them first"
                + " with 'rm NAME'\n");

    Result rm = sb("rm", "voip-server");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(sb("ls").out()).isEqualTo("no container groups\n");
    Result rmLb = sb("ip", "rm-lb", "voip");
    assertThat(rmLb.out())
        .isEqualTo(
            "removed load balancer voip-lb and virtual network voip-lb-vnet; kept public IP voip 127.77.0.1"
                + " [standalone]\n");
    for (String ip : List.of("voip", "nat-ip", "spare")) {
      assertThat(sb("ip", "rm", ip).code()).isZero();
    }
    assertThat(sb("ip", "ls").out()).startsWith("no public IPs");
    try (Stream<Path> files = Files.walk(dir.resolve("local"))) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("state.json"))).isEmpty();
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())))
        .isEmpty();
  }

  @Test
  void aUdpOnlyGroupSaysWhatIsProbedAndLsSaysWhyItReadsDown() throws Exception {
    assertThat(sb("ip", "create", "voip", "--with-load-balancer").code()).isZero();
    assertThat(sb("ip", "select", "voip").code()).isZero();
    int port = freePort();
    Result run =
        sb(
            "run",
            "sip",
            "-im",
            "img",
            "-t",
            echoTask(),
            "--bidirectional",
            "--expose-port",
            port + ":udp",
            "--use-load-balancer");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "  probe probe-sip: tcp "
                + port
                + " every 5 s; after 2 failures in a row it reads down, but new flows still reach"
                + " the group (noHealthyBackendsBehavior AllProbedUp");
    String ls = poll(() -> Optional.of(sb("ls").out()).filter(o -> o.contains("down*")));
    assertThat(ls)
        .contains(
            "sip: * probe tcp "
                + port
                + " on 127.78.0.1 fails (nothing answers there: UDP cannot be probed); new flows"
                + " still reach it (AllProbedUp).");
    assertThat(poll(() -> udp("127.77.0.1", port, "INVITE"))).isEqualTo("127.78.0.1: INVITE");

    Result bad =
        sb(
            "run",
            "x",
            "-im",
            "img",
            "--bidirectional",
            "--expose-port",
            "5060:udp",
            "--health-port",
            "8080:udp",
            "--use-load-balancer");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .isEqualTo("switchboard: --health-port protocol must be tcp or http, got 'udp'\n");
    assertThat(sb("rm", "sip").code()).isZero();
    assertThat(sb("ip", "rm", "voip").code()).isZero();
  }

  @Test
  void azureRefusesWhatArmWouldBeforeAnyCall() {
    Result many =
        sb(
            "run",
            "x",
            "-im",
            "img",
            "--bidirectional",
            "--expose-port",
            "10000-10005:udp",
            "--provider",
            "azure",
            "--dry-run");
    assertThat(many.code()).isEqualTo(2);
    assertThat(many.err())
        .startsWith(
            "switchboard: container group x would open 6 ports; Azure Container Instances"
                + " allows 5 per IP address");
  }

  @Test
  void aTaskThatExitsAtOnceFailsRunAndLsSaysWhyAGroupWaits() {
    Result bad = sb("run", "bad", "-im", "img", "-t", "echo 'no config here'; exit 3");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err())
        .startsWith(
            "switchboard: run bad: its task exited at once with code 3 (run as a process in ")
        .contains("): no config here (its output: ");
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(sb("ls").out()).isEqualTo("no container groups\n");

    // Runs past run's start check, then fails at every start.
    Path marker = dir.resolve("started-once");
    String task =
        "if [ -e "
            + marker
            + " ]; then echo 'database unreachable'; exit 4; fi; touch "
            + marker
            + "; sleep 5; exit 4";
    Result run = sb("run", "flaky", "-im", "img", "-t", task);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("  runs as a process (sh -c TASK in the directory run was called from)")
        .contains("so image img is not used");
    String ls =
        await("ls says why flaky waits")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> sb("ls").out(), o -> o.contains("Waiting"));
    assertThat(ls).contains("  flaky: last exit code 4: database unreachable; next start ");
    assertThat(sb("rm", "flaky").code()).isZero();
  }

  @Test
  void useLoadBalancerWithoutASelectedIpFailsClearlyAndCreatesNothing() {
    Result r =
        sb(
            "run",
            "x",
            "-im",
            "img",
            "-t",
            "true",
            "--bidirectional",
            "--expose-port",
            "5060:udp",
            "--use-load-balancer");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("switchboard: --use-load-balancer needs a selected IP with a load balancer");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(sb("ip", "create", "plain").code()).isZero();
    sb("ip", "select", "plain");
    Result noLb =
        sb(
            "run",
            "x",
            "-im",
            "img",
            "-t",
            "true",
            "--bidirectional",
            "--expose-port",
            "5060:udp",
            "--use-load-balancer");
    assertThat(noLb.code()).isEqualTo(3);
    assertThat(noLb.err())
        .isEqualTo(
            "switchboard: the selected IP plain has no load balancer (tag has_load_balancer is not true): run 'ip"
                + " setup-lb plain' first\n");
    assertThat(sb("ls").out()).isEqualTo("no container groups\n");
    assertThat(sb("ip", "rm", "plain").code()).isZero();
  }

  @Test
  void badPortsAndOptionCombinationsAreUsageErrors() {
    Result range =
        sb("run", "x", "-im", "img", "--bidirectional", "--expose-port", "10000-10200:udp");
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err())
        .isEqualTo("switchboard: port range 10000-10200 has 201 ports; at most 100 are allowed\n");
    assertThat(sb("run", "x", "-im", "img", "--bidirectional", "--expose-port", "70000:udp").err())
        .isEqualTo("switchboard: port must be between 1 and 65535, got 70000\n");
    assertThat(sb("run", "x", "-im", "img", "--bidirectional", "--expose-port", "5060:sctp").err())
        .isEqualTo("switchboard: protocol must be tcp or udp, got 'sctp'\n");
    assertThat(sb("run", "x", "-im", "img", "--expose-port", "5060:udp").err())
        .isEqualTo("switchboard: --expose-port needs --bidirectional\n");
    Result both = sb("ip", "create", "a", "--with-load-balancer", "--with-nat-stack");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("exclude each other");
    assertThat(sb("ip", "rm", "nope").code()).isEqualTo(3);
    assertThat(Files.exists(dir.resolve("local/state.json"))).isFalse();
  }

  @Test
  void dryRunPrintsThePlanAndChangesNothing() {
    Result plan = sb("ip", "create", "voip", "--with-load-balancer", "--dry-run");
    assertThat(plan.code()).isZero();
    assertThat(plan.out())
        .startsWith("plan for ip create voip (provider local, dry run: nothing is changed)\n")
        .contains(" 1. create public IP         voip")
        .contains(" 2. create virtual network   voip-lb-vnet")
        .contains(" 3. create load balancer     voip-lb")
        .contains(" 4. tag    public IP         voip");
    assertThat(sb("ip", "ls").out()).startsWith("no public IPs");
  }

  @Test
  void azureDryRunNeverContactsAzure() {
    // Port 1 on loopback refuses connections: any call to "Azure" would fail the command.
    String[] azure = {
      "--provider", "azure", "--subscription", "00000000-0000-0000-0000-000000000001",
          "--resource-group", "rg",
      "--location", "westeurope", "--azure-endpoint", "https://127.0.0.1:1/", "--azure-token",
          "unused"
    };
    Result plan =
        sb(
            concat(
                new String[] {"ip", "create", "voip", "--with-load-balancer", "--dry-run"}, azure));
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("provider azure")
        .contains("address space 10.0.0.0/16")
        .contains(
            "subnet voip-lb-subnet 10.0.1.0/24 delegated to Microsoft.ContainerInstance/containerGroups (aciDelegation)")
        .contains("sku Standard")
        .contains(
            "tags: managed_by=switchboard public_ip_name=voip created_for=bidirectional_containers");
    Result missing = sb("ip", "ls", "--provider", "azure");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("switchboard: the azure provider needs");
  }

  @Test
  void azureDryRunNeedsNoSettingsAndARealRunNamesEveryMissingOne() {
    Result plan =
        sb("ip", "create", "voip", "--with-load-balancer", "--provider", "azure", "--dry-run");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out())
        .startsWith(
            "plan for ip create voip (provider azure, dry run: nothing is changed)\n"
                + "  in subscription <subscription>, resource group <resource-group>,"
                + " location <location>\n")
        .contains(" 2. create security group    voip-lb-nsg")
        .contains(" 4. create load balancer     voip-lb");
    Result given =
        sb(
            "rm",
            "x",
            "--dry-run",
            "--provider",
            "azure",
            "--resource-group",
            "rg",
            "--location",
            "westeurope");
    assertThat(given.out())
        .contains("  in subscription <subscription>, resource group rg, location westeurope\n");

    Result missing = sb("ip", "create", "voip", "--provider", "azure");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "switchboard: the azure provider needs a subscription (--subscription or"
                + " AZURE_SUBSCRIPTION_ID), a resource group (--resource-group or"
                + " SWITCHBOARD_AZURE_RESOURCE_GROUP) and a region (--location or"
                + " SWITCHBOARD_AZURE_LOCATION)\n");
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  private static String echoTask() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes =
        Path.of(EchoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    return "exec "
        + java
        + " -Xmx32m -XX:+UseSerialGC -cp "
        + classes
        + " "
        + EchoMain.class.getName();
  }

  private static int freePort() throws Exception {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0);
          DatagramSocket d = new DatagramSocket(s.getLocalPort())) {
        return s.getLocalPort();
      } catch (Exception e) {
        // Try another.
      }
    }
    throw new IllegalStateException("no free port");
  }

  private static String poll(Supplier<Optional<String>> probe) {
    return await("an answer through the load balancer")
        .atMost(Duration.ofSeconds(20))
        .until(probe::get, Optional::isPresent)
        .get();
  }

  private static Optional<String> udp(String host, int port, String payload) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(500);
      byte[] b = payload.getBytes(StandardCharsets.UTF_8);
      s.send(new DatagramPacket(b, b.length, new InetSocketAddress(host, port)));
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      s.receive(p);
      return Optional.of(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Optional<String> tcp(String host, int port, String line) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(1000);
      s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      return Optional.ofNullable(
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine());
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
