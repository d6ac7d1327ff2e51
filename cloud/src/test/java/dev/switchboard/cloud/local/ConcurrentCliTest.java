package dev.switchboard.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cloud.PublicIp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two CLI processes changing the same local state at once: every change of both survives (the
 * store's file lock covers each read-modify-write).
 */
class ConcurrentCliTest {
  private static final int EACH = 40;

  @TempDir Path dir;

  /** One "CLI": creates {@code COUNT} public IPs named {@code PREFIX-i}. */
  public static void main(String[] args) {
    LocalProvider p =
        new LocalProvider(
            Path.of(args[0]), LocalProvider.Options.defaults().withContainerEngine("none"));
    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
      p.createIp(args[1] + "-" + i, false, false);
    }
  }

  @Test
  void twoProcessesCreatingIpsAtOnceLoseNothing() throws Exception {
    List<Process> clis = new ArrayList<>();
    for (String prefix : List.of("a", "b")) {
      clis.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConcurrentCliTest.class.getName(),
                  dir.toString(),
                  prefix,
                  Integer.toString(EACH))
              .inheritIO()
              .start());
    }
    for (Process p : clis) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    List<PublicIp> ips =
        new LocalProvider(dir, LocalProvider.Options.defaults().withContainerEngine("none"))
            .listIps();
    assertThat(ips).hasSize(2 * EACH);
    assertThat(ips.stream().map(PublicIp::address).distinct()).hasSize(2 * EACH);
  }
}
