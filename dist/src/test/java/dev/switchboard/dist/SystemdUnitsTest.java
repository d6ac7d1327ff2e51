package dev.switchboard.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The units in dist/systemd: hardened, reloading on SIGHUP, and valid to systemd itself. */
class SystemdUnitsTest {
  static final Path UNITS = Path.of(System.getProperty("switchboard.units", "systemd"));

  @ParameterizedTest
  @ValueSource(strings = {"switchboard-broker.service", "switchboard-lb.service"})
  void unitIsHardenedAndReloadsOnSighup(String unit) throws IOException {
    Map<String, String> s = service(UNITS.resolve(unit));
    assertThat(s)
        .containsEntry("User", "switchboard")
        .containsEntry("NoNewPrivileges", "yes")
        .containsEntry("PrivateTmp", "yes")
        .containsEntry("ProtectSystem", "strict")
        .containsEntry("ProtectHome", "yes")
        .containsEntry("StateDirectory", "switchboard")
        .containsEntry("ConfigurationDirectory", "switchboard")
        .containsEntry("CapabilityBoundingSet", "")
        .containsEntry("ExecReload", "/bin/kill -HUP $MAINPID")
        .containsEntry("KillSignal", "SIGTERM")
        .containsEntry("SuccessExitStatus", "143");
    assertThat(s.get("ExecStart")).contains("--config /etc/switchboard/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"switchboard-broker.service"})
  void stopTimeoutOutlastsTheDrainDeadline(String unit) throws IOException {
    Map<String, String> s = service(UNITS.resolve(unit));
    Matcher m = Pattern.compile("--drain-deadline (\\d+)s").matcher(s.get("ExecStart"));
    assertThat(m.find()).as("ExecStart names --drain-deadline").isTrue();
    Duration drain = Duration.ofSeconds(Long.parseLong(m.group(1)));
    Duration stop = Duration.ofSeconds(Long.parseLong(s.get("TimeoutStopSec").replace("s", "")));
    // Time to close the listeners and leave the lb's pools after the deadline, before SIGKILL.
    assertThat(stop).isGreaterThanOrEqualTo(drain.plusSeconds(10));
  }

  @Test
  void brokerUnitSetsTheJvmAndMallocSettingsOfTheLauncher() throws IOException {
    List<String> env = new ArrayList<>();
    for (String line : Files.readAllLines(UNITS.resolve("switchboard-broker.service"))) {
      if (line.startsWith("Environment=")) {
        env.add(line.substring("Environment=".length()).replace("\"", ""));
      }
    }
    // What bin/switchboard gives a broker: the memory per idle session in docs/benchmarks.md.
    assertThat(env)
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("SWITCHBOARD_JAVA_OPTS=")
                    .contains("-XX:+UseParallelGC", "-XX:MaxNewSize=64m"))
        .contains("MALLOC_ARENA_MAX=2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"switchboard-broker.service", "switchboard-lb.service"})
  void systemdAcceptsTheUnit(String unit) throws Exception {
    Assumptions.assumeTrue(
        onPath("systemd-analyze"),
        "systemd-analyze not installed (apt-get install systemd): the unit was not verified");
    Proc.Result r = Proc.run(List.of("systemd-analyze", "verify", UNITS.resolve(unit).toString()));
    // verify exits 0 on unknown keys and bad values, only warning: any output is a failure.
    assertThat(r.err() + r.out()).isEmpty();
    assertThat(r.code()).isZero();
  }

  /** The [Service] section's settings (the last one wins, as in systemd). */
  static Map<String, String> service(Path unit) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(unit)) {
      String l = line.strip();
      if (l.startsWith("[")) {
        section = l;
      } else if (section.equals("[Service]") && !l.isEmpty() && !l.startsWith("#")) {
        int eq = l.indexOf('=');
        m.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return m;
  }

  static boolean onPath(String exe) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }
}
