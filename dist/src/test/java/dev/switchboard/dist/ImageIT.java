package dev.switchboard.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.Session;
import dev.switchboard.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image the build wrote (target/switchboard-image.tar) under podman: read-only root, config and
 * certificates mounted, a state volume, /healthz probed, a session relayed through it.
 */
class ImageIT {
  private static final Path TAR =
      Path.of(System.getProperty("switchboard.image.tar", "target/switchboard-image.tar"));
  private static final Path ID =
      Path.of(System.getProperty("switchboard.image.id", "target/switchboard-image.id"));

  // Loaded once for the class: every test runs the same image, and a load takes seconds.
  @TempDir static Path confDir;
  private static Path containersConf;
  private static String image;
  @TempDir Path dir;
  private final String name = "switchboard-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void load() throws Exception {
    Assumptions.assumeTrue(
        SystemdUnitsTest.onPath("podman"),
        "podman not installed (.ci/run installs podman and runc): the image was not run");
    Assumptions.assumeTrue(
        Files.isRegularFile(TAR), "no " + TAR + " (built with -Dimage.skip?): nothing to run");
    // crun fails on these machines, and the default ulimits cannot be set inside their sandbox.
    containersConf = confDir.resolve("containers.conf");
    Files.writeString(
        containersConf,
        "[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = \"cgroupfs\"\n");
    podmanOk("load", "-q", "-i", TAR.toString());
    image = Files.readString(ID).strip();
  }

  @AfterEach
  void removeContainer() throws Exception {
    podman("rm", "-f", "-t", "0", name);
  }

  @AfterAll
  static void removeImage() throws Exception {
    if (image != null) {
      podman("rmi", image); // fails, harmlessly, while another run still uses the image
    }
  }

  @Test
  void versionRunsInTheImage() throws Exception {
    Proc.Result r = podmanOk("run", "--rm", "--read-only", "--name", name, image, "version");
    assertThat(r.out()).contains("switchboard ");
  }

  @Test
  void brokerContainerServesHealthzAndRelaysASession() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("etc"));
    Path state = Files.createDirectory(dir.resolve("state"));
    Brokers.config(pki, "broker-img-1", Path.of("/var/lib/switchboard"));
    try (Stream<Path> files = Files.list(pki.dir())) {
      // The container's user (uid 10001) reads the mounted config; the host's root owns it.
      for (Path f : files.toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    podmanOk(
        "run",
        "-d",
        "--name",
        name,
        "--read-only",
        "--network",
        "host",
        "-v",
        pki.dir() + ":/etc/switchboard:ro",
        "-v",
        state + ":/var/lib/switchboard:U",
        image,
        "broker",
        "--config",
        "/etc/switchboard/broker.yaml",
        "--drain-deadline",
        "2s");
    Pattern started =
        Pattern.compile(
            "clients 127\\.0\\.0\\.1:(\\d+) \\(mTLS\\), admin http://127\\.0\\.0\\.1:(\\d+)/");
    Matcher m =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> started.matcher(podmanOk("logs", name).out()), Matcher::find);
    int port = Integer.parseInt(m.group(1));
    int admin = Integer.parseInt(m.group(2));

    assertThat(Brokers.healthz(admin)).isEqualTo(200);
    Session[] s = Brokers.session(pki, "broker-img-1", port);
    assertThat(Brokers.exchange(s[0], s[1], "through the container"))
        .isEqualTo("through the container|through the container");
    assertThat(
            podmanOk("exec", name, "/opt/java/bin/java", "-XshowSettings:properties", "-version")
                .err())
        .contains("user.name = switchboard");
    assertThat(Files.exists(state.resolve("admin.token"))).as("state on the volume").isTrue();

    podmanOk("kill", "--signal", "TERM", name); // what `podman stop` and Kubernetes send first
    await().atMost(Duration.ofSeconds(30)).until(() -> Brokers.healthz(admin) == 503);
    assertThat(Brokers.exchange(s[0], s[1], "while draining"))
        .isEqualTo("while draining|while draining");
    assertThat(podmanOk("wait", name).out().strip())
        .as("exit code: 143 is a drain that ended, 137 a SIGKILL")
        .isEqualTo("143");
    assertThatThrownBy(() -> s[0].input().read()).isInstanceOf(RefusedException.class);
    Proc.Result logs = podmanOk("logs", name);
    assertThat(logs.out() + logs.err())
        .doesNotContain("Read-only file system")
        .as("Netty's native transport loads from the /tmp tmpfs")
        .contains("epoll");
  }

  private static Proc.Result podmanOk(String... args) throws Exception {
    Proc.Result r = podman(args);
    if (r.code() != 0) {
      throw new AssertionError(
          "podman " + String.join(" ", args) + ": exit " + r.code() + "\n" + r.err());
    }
    return r;
  }

  private static Proc.Result podman(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of("env", "CONTAINERS_CONF=" + containersConf, "podman", "--runtime", "runc"));
    cmd.addAll(List.of(args));
    return Proc.run(cmd);
  }
}
