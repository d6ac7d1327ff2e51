package dev.switchboard.cloud.local;

import static dev.switchboard.cloud.testing.Net.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cloud.Cloud;
import dev.switchboard.cloud.CloudException;
import dev.switchboard.cloud.ContainerGroup;
import dev.switchboard.cloud.ExposedPort;
import dev.switchboard.cloud.PublicIp;
import dev.switchboard.cloud.RestartPolicy;
import dev.switchboard.cloud.RunSpec;
import dev.switchboard.cloud.testing.Net;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local provider with a real container engine: podman (host network, runc, the containers.conf
 * the provider writes itself) runs a tiny image built offline; skipped when podman is absent.
 */
class LocalContainerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestImage image;

  @TempDir Path dir;
  private LocalProvider provider;
  private Cloud cloud;

  @BeforeAll
  static void buildImage(@TempDir Path work) throws Exception {
    TestImage.unavailable().ifPresent(why -> Assumptions.abort("no container test: " + why));
    image = TestImage.build(work);
  }

  @AfterAll
  static void removeImage() throws Exception {
    if (image != null) {
      image.close();
    }
  }

  private Cloud cloud() {
    provider =
        new LocalProvider(
            dir.resolve("state"),
            LocalProvider.Options.defaults()
                .withProbeInterval(Duration.ofMillis(300))
                .withContainerEngine("podman"));
    cloud = new Cloud(provider, dir.resolve("state"));
    return cloud;
  }

  @AfterEach
  void removeEverything() {
    if (cloud != null) {
      cloud.listGroups().forEach(g -> cloud.removeGroup(g.name()));
      cloud.listIps().forEach(ip -> cloud.removeIp(ip.name()));
    }
    assertThat(containersOfThisState()).isEmpty();
  }

  @Test
  void udpAndTcpReachTheContainerThroughTheSelectedIp() throws Exception {
    Cloud cloud = cloud();
    PublicIp ip = cloud.createIp("voip", true, false);
    cloud.select("voip");
    int port = Net.freePort();
    ContainerGroup g =
        cloud.run(
            new RunSpec(
                "sip",
                image.name,
                null,
                true,
                ExposedPort.parseAll(List.of(port + ":udp", port + ":tcp")),
                true,
                RestartPolicy.ALWAYS));
    assertThat(g.status().runsAs()).isEqualTo("podman");
    String priv = g.privateAddress();
    assertThat(await("udp", WAIT, () -> Net.udp(ip.address(), port, "INVITE")))
        .isEqualTo(priv + ": INVITE");
    assertThat(await("tcp", WAIT, () -> Net.tcp(ip.address(), port, "OPTIONS")))
        .isEqualTo(priv + ": OPTIONS");
    assertThat(containersOfThisState()).hasSize(1);
    assertThat(Files.readString(dir.resolve("state/local/containers.conf")))
        .contains("default_ulimits = []")
        .contains("cgroup_manager = \"cgroupfs\"");

    cloud.removeGroup("sip");
    assertThat(containersOfThisState()).isEmpty();
    assertThat(Net.udp(ip.address(), port, "gone")).isEmpty();
  }

  @Test
  void anImageThatIsNotThereFailsRunWithTheEnginesReason() {
    Cloud cloud = cloud();
    RunSpec spec =
        new RunSpec(
            "x",
            "localhost/switchboard-no-such-image:0",
            null,
            false,
            List.of(),
            false,
            RestartPolicy.ALWAYS);
    assertThatThrownBy(() -> cloud.run(spec))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.PROVIDER))
        .hasMessageStartingWith(
            "podman cannot find or pull image localhost/switchboard-no-such-image:0: ")
        .hasMessageContaining("Error");
    assertThat(cloud.listGroups()).isEmpty();
  }

  @Test
  void aContainerWhoseTaskExitsAtOnceFailsRunWithItsOutput() {
    Cloud cloud = cloud();
    RunSpec spec =
        new RunSpec(
            "boom",
            image.name,
            "echo 'config missing' >&2; exit 3",
            false,
            List.of(),
            false,
            RestartPolicy.ALWAYS);
    assertThatThrownBy(() -> cloud.run(spec))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("exited at once with code 3 (run in podman): config missing");
    assertThat(cloud.listGroups()).isEmpty();
  }

  @Test
  void aContainerThatKeepsCrashingIsRestartedAndRmLeavesNoContainer() throws Exception {
    Cloud cloud = cloud();
    // Runs long enough for run's start check, then crashes; every restart is a new container.
    RunSpec spec =
        new RunSpec(
            "flaky",
            image.name,
            "sleep 3; echo 'lost the database'; exit 7",
            false,
            List.of(),
            false,
            RestartPolicy.ALWAYS);
    cloud.run(spec);
    ContainerGroup g =
        await(
            "a restart",
            WAIT,
            () ->
                cloud.listGroups().stream()
                    .filter(x -> x.restartCount() >= 1 && x.status().lastExitCode() != null)
                    .findFirst());
    assertThat(g.status().lastExitCode()).isEqualTo(7);
    assertThat(g.status().lastError()).isEqualTo("lost the database");
    cloud.removeGroup("flaky");
    assertThat(containersOfThisState()).isEmpty();
  }

  private List<String> containersOfThisState() {
    try {
      Path out = Files.createTempFile(dir, "ps", ".out");
      TestImage.run(
          List.of(
              "podman",
              "ps",
              "-a",
              "-q",
              "--filter",
              "label="
                  + ContainerEngine.LABEL
                  + "="
                  + ContainerEngine.stateId(dir.resolve("state/local"))),
          out);
      return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
