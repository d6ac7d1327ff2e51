package dev.switchboard.cloud.local;

import static dev.switchboard.cloud.testing.Net.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.HealthPort;
import dev.switchboard.cloud.LbRule;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.testing.Net;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDP-only services through the local provider's load balancer: a real UDP echo task, a real lb,
 * one pool per group.
 */
class LocalUdpOnlyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private LocalProvider provider;
  private final List<Long> pids = new ArrayList<>();

  private Cloud cloud() {
    provider =
        new LocalProvider(
            dir,
            LocalProvider.Options.defaults()
                .withProbeInterval(Duration.ofMillis(200))
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

  private static RunSpec udpOnly(String name, int port, String task, HealthPort health) {
    return new RunSpec(
        name,
        "img",
        task,
        true,
        ExposedPort.parse(port + ":udp"),
        true,
        RestartPolicy.ALWAYS,
        health);
  }

  private PublicIp voip(Cloud cloud) {
    PublicIp ip = cloud.createIp("voip", true, false);
    cloud.select("voip");
    return ip;
  }

  @Test
  void aUdpOnlyGroupStaysReachableAfterItsProbeReadsDown() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = voip(cloud);
    int port = Net.freePort();
    ContainerGroup g = cloud.run(udpOnly("sip", port, Net.echoTaskCommand(), null));
    pids.add(provider.taskPid("sip").orElseThrow());
    assertThat(g.probe().allProbedUp()).isTrue();

    assertThat(await("udp echo", WAIT, () -> Net.udp(ip.address(), port, "INVITE")))
        .isEqualTo(g.privateAddress() + ": INVITE");
    // Nothing listens on the probed TCP port: the probe reads down after two intervals...
    await("probe down", WAIT, () -> provider.health("sip").filter("down"::equals));
    // ...and every later request still arrives, interval after interval.
    for (int i = 0; i < 5; i++) {
      String msg = "OPTIONS " + i;
      assertThat(await("udp echo " + i, WAIT, () -> Net.udp(ip.address(), port, msg)))
          .isEqualTo(g.privateAddress() + ": " + msg);
      assertThat(provider.health("sip")).contains("down");
    }
    assertThat(cloud.listGroups().get(0).health()).isEqualTo("down");
  }

  @Test
  void aHealthPortThatIsClosedTakesTheGroupOutAndSaysWhy() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = voip(cloud);
    int port = Net.freePort();
    int health = Net.freePort();
    // The task opens no health port although it is asked to.
    String task = "unset SWITCHBOARD_HEALTH_PORT; " + Net.echoTaskCommand();
    ContainerGroup g = cloud.run(udpOnly("sip", port, task, HealthPort.parse(health + ":tcp")));
    pids.add(provider.taskPid("sip").orElseThrow());
    assertThat(g.probe().allProbedUp()).isFalse();
    assertThat(g.probe().describe())
        .contains("tcp " + health, "the group gets no new flows until the probe succeeds again");

    await("probe down", WAIT, () -> provider.health("sip").filter("down"::equals));
    await(
        "no answer through the load balancer",
        WAIT,
        () ->
            Net.udp(ip.address(), port, "INVITE").isEmpty() ? Optional.of(true) : Optional.empty());
    assertThat(cloud.listGroups().get(0).health()).isEqualTo("down");
  }

  @Test
  void twoUdpOnlyGroupsOnOneIpEachGetOnlyTheirOwnTraffic() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = voip(cloud);
    int portA = Net.freePort();
    int portB = Net.freePort();
    ContainerGroup a = cloud.run(udpOnly("a", portA, Net.echoTaskCommand(), null));
    pids.add(provider.taskPid("a").orElseThrow());
    ContainerGroup b = cloud.run(udpOnly("b", portB, Net.echoTaskCommand(), null));
    pids.add(provider.taskPid("b").orElseThrow());
    assertThat(cloud.loadBalancer("voip").orElseThrow().rules())
        .extracting(LbRule::pool)
        .containsExactly("pool-a", "pool-b");

    await("a answers", WAIT, () -> Net.udp(ip.address(), portA, "hello"));
    await("b answers", WAIT, () -> Net.udp(ip.address(), portB, "hello"));
    // Each datagram comes from a fresh source port, so a shared pool would spread them over both.
    for (int i = 0; i < 20; i++) {
      String msg = "to-a " + i;
      assertThat(await("a " + i, WAIT, () -> Net.udp(ip.address(), portA, msg)))
          .isEqualTo(a.privateAddress() + ": " + msg);
    }
    assertThat(await("b", WAIT, () -> Net.udp(ip.address(), portB, "to-b")))
        .isEqualTo(b.privateAddress() + ": to-b");

    cloud.removeGroup("a");
    assertThat(cloud.loadBalancer("voip").orElseThrow().rules())
        .extracting(LbRule::pool)
        .containsExactly("pool-b");
    assertThat(cloud.loadBalancer("voip").orElseThrow().backends())
        .extracting(x -> x.ipAddress())
        .containsExactly(b.privateAddress());
  }
}
