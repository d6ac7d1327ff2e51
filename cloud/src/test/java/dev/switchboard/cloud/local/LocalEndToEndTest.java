package dev.switchboard.cloud.local;

import static dev.switchboard.cloud.testing.Net.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cloud.BackendAddress;
import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.HealthPort;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.testing.Net;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end scenario on the local provider: real agent process, real lb, real tasks.
 */
class LocalEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private LocalProvider provider;
  private final List<Long> pids = new ArrayList<>();

  private Cloud cloud() {
    provider =
        new LocalProvider(
            dir,
            LocalProvider.Options.defaults()
                .withProbeInterval(Duration.ofMillis(300))
                .withContainerEngine("none"));
    return new Cloud(provider, dir);
  }

  @AfterEach
  void killLeftovers() {
    if (provider != null) {
      provider.agentPid().ifPresent(pids::add);
      pids.addAll(provider.taskPids());
    }
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void trafficFollowsTheTaskAcrossRestartsAndTheProbeTakesADeadTaskOut() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = cloud.createIp("voip", true, false);
    assertThat(ip.label()).isEqualTo("[with Load Balancer]");
    assertThat(ip.address()).startsWith("127.77.");
    cloud.select("voip");
    pids.add(provider.agentPid().orElseThrow());

    int port = Net.freePort();
    RunSpec spec =
        new RunSpec(
            "voip-server",
            "asterisk:latest",
            Net.echoTaskCommand(),
            true,
            ExposedPort.parseAll(List.of(port + ":udp", port + ":tcp")),
            true,
            RestartPolicy.ON_FAILURE);
    ContainerGroup g = cloud.run(spec);
    String first = g.privateAddress();
    assertThat(first).startsWith("127.78.");
    assertThat(g.publicAddress()).isNull();
    pids.add(provider.taskPid("voip-server").orElseThrow());
    assertThat(cloud.loadBalancer("voip").orElseThrow().rules())
        .extracting(r -> r.name())
        .containsExactly("rule-" + port + "-UDP", "rule-" + port + "-TCP");

    String pub = ip.address();
    assertThat(await("udp echo", WAIT, () -> Net.udp(pub, port, "hello")))
        .isEqualTo(first + ": hello");
    assertThat(await("tcp echo", WAIT, () -> Net.tcp(pub, port, "hi"))).isEqualTo(first + ": hi");

    // A crash (SIGKILL, exit 137): OnFailure starts it again with a fresh private address.
    long pid = provider.taskPid("voip-server").orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    String second =
        await(
            "restart with a new address",
            WAIT,
            () ->
                group(cloud, "voip-server")
                    .filter(x -> x.restartCount() == 1 && "Running".equals(x.state()))
                    .map(ContainerGroup::privateAddress));
    assertThat(second).isNotEqualTo(first).startsWith("127.78.");
    pids.add(provider.taskPid("voip-server").orElseThrow());
    assertThat(
            await(
                "udp via the same public IP",
                WAIT,
                () -> Net.udp(pub, port, "again").filter(a -> a.startsWith(second))))
        .isEqualTo(second + ": again");
    assertThat(
            await(
                "tcp via the same public IP",
                WAIT,
                () -> Net.tcp(pub, port, "again").filter(a -> a.startsWith(second))))
        .isEqualTo(second + ": again");
    assertThat(cloud.loadBalancer("voip").orElseThrow().backends())
        .extracting(BackendAddress::ipAddress)
        .containsExactly(second);

    // A clean stop (SIGTERM, exit 0) is not restarted: the address stays registered and the probe
    // takes it out.
    ProcessHandle.of(provider.taskPid("voip-server").orElseThrow()).orElseThrow().destroy();
    await(
        "terminated",
        WAIT,
        () -> group(cloud, "voip-server").filter(x -> "Terminated".equals(x.state())));
    await("probe down", WAIT, () -> provider.health("voip-server").filter("down"::equals));
    assertThat(cloud.loadBalancer("voip").orElseThrow().backends())
        .extracting(BackendAddress::ipAddress)
        .containsExactly(second);
    assertThat(Net.tcp(pub, port, "anyone?")).isEmpty();
    assertThat(Net.udp(pub, port, "anyone?")).isEmpty();

    assertThatThrownBy(() -> cloud.removeLoadBalancer("voip"))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("voip-server");
    cloud.removeGroup("voip-server");
    assertThat(cloud.loadBalancer("voip").orElseThrow().rules()).isEmpty();
    assertThat(cloud.loadBalancer("voip").orElseThrow().backends()).isEmpty();
    PublicIp kept = cloud.removeLoadBalancer("voip");
    assertThat(kept.address()).isEqualTo(pub);
    assertThat(kept.label()).isEqualTo("[standalone]");
    cloud.removeIp("voip");

    for (long p : pids) {
      assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d alive", p)
          .isFalse();
    }
    assertThat(Files.exists(provider.stateFile())).isFalse();
    assertThat(cloud.selected()).isEmpty();
    assertThat(Net.udp(pub, port, "gone")).isEmpty();
  }

  @Test
  void useLoadBalancerWithoutASelectedLoadBalancedIpCreatesNothing() throws Exception {
    Cloud cloud = cloud();
    RunSpec spec =
        new RunSpec(
            "x", "img", "true", true, ExposedPort.parse("5060:udp"), true, RestartPolicy.ALWAYS);
    assertThatThrownBy(() -> cloud.run(spec))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PRECONDITION))
        .hasMessageContaining("ip select");
    cloud.createIp("plain", false, false);
    cloud.select("plain");
    assertThatThrownBy(() -> cloud.run(spec))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PRECONDITION))
        .hasMessageContaining("has_load_balancer");
    assertThat(cloud.listGroups()).isEmpty();
    assertThat(provider.agentPid()).isEmpty();
    cloud.removeIp("plain");
    assertThat(Files.exists(provider.stateFile())).isFalse();
  }

  @Test
  void aKilledAgentIsReplacedAndItsOrphanedTaskIsStoppedNotDuplicated() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = cloud.createIp("voip", true, false);
    cloud.select("voip");
    int port = Net.freePort();
    cloud.run(
        new RunSpec(
            "echo",
            "img",
            Net.echoTaskCommand(),
            true,
            ExposedPort.parse(port + ":udp"),
            true,
            RestartPolicy.ALWAYS,
            // The echo task opens its health port: a probe that can say "up".
            HealthPort.parse(port + ":tcp")));
    long oldAgent = provider.agentPid().orElseThrow();
    long oldTask = provider.taskPid("echo").orElseThrow();
    pids.add(oldAgent);
    pids.add(oldTask);
    String first = await("udp echo", WAIT, () -> Net.udp(ip.address(), port, "a")).split(":")[0];
    await("probe up", WAIT, () -> provider.health("echo").filter("up"::equals));
    assertThat(cloud.listGroups().get(0).health()).isEqualTo("up");

    ProcessHandle agent = ProcessHandle.of(oldAgent).orElseThrow();
    agent.destroyForcibly();
    agent.onExit().get();
    cloud.reconcile("voip");

    long newAgent = provider.agentPid().orElseThrow();
    pids.add(newAgent);
    assertThat(newAgent).isNotEqualTo(oldAgent);
    await(
        "orphan stopped",
        WAIT,
        () ->
            ProcessHandle.of(oldTask).filter(ProcessHandle::isAlive).isEmpty()
                ? Optional.of(true)
                : Optional.empty());
    String second =
        await(
            "restarted",
            WAIT,
            () ->
                group(cloud, "echo")
                    .filter(g -> "Running".equals(g.state()) && !first.equals(g.privateAddress()))
                    .map(ContainerGroup::privateAddress));
    pids.add(provider.taskPid("echo").orElseThrow());
    assertThat(
            await(
                "udp via the new agent",
                WAIT,
                () -> Net.udp(ip.address(), port, "b").filter(a -> a.startsWith(second))))
        .isEqualTo(second + ": b");

    cloud.removeGroup("echo");
    cloud.removeIp("voip");
    assertThat(Files.exists(provider.stateFile())).isFalse();
    assertThat(ProcessHandle.of(newAgent).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aRuleThatCannotBindRollsTheRunBack() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = cloud.createIp("voip", true, false);
    cloud.select("voip");
    pids.add(provider.agentPid().orElseThrow());
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(ip.address(), 0));
      int port = taken.getLocalPort();
      RunSpec spec =
          new RunSpec(
              "x",
              "img",
              "sleep 60",
              true,
              ExposedPort.parse(port + ":tcp"),
              true,
              RestartPolicy.ALWAYS);
      assertThatThrownBy(() -> cloud.run(spec))
          .isInstanceOfSatisfying(
              CloudException.class,
              e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PROVIDER))
          .hasMessageStartingWith("run x: ");
    }
    assertThat(cloud.listGroups()).isEmpty();
    assertThat(cloud.loadBalancer("voip").orElseThrow().rules()).isEmpty();
    cloud.removeIp("voip");
    assertThat(Files.exists(provider.stateFile())).isFalse();
  }

  private static Optional<ContainerGroup> group(Cloud cloud, String name) {
    return cloud.listGroups().stream().filter(g -> g.name().equals(name)).findFirst();
  }
}
