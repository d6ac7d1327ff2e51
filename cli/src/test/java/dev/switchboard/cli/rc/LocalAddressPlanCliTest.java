package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.rc.RcCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code up} and {@code demo} with topology files the local address plan must work around. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalAddressPlanCliTest {
  @TempDir Path dir;

  /** One broker per region at 127.0.1.N, region i's POP at {@code pops.get(i)}. */
  private Path topology(String name, List<String> pops) throws Exception {
    List<String> y = new ArrayList<>(List.of("name: " + name, "regions:"));
    for (int i = 0; i < pops.size(); i++) {
      y.add("  - {id: r" + i + ", pop: " + pops.get(i) + "}");
    }
    y.add("latencyMs:");
    for (int i = 0; i < pops.size(); i++) {
      for (int j = i; j < pops.size(); j++) {
        y.add("  r" + i + "-r" + j + ": 4");
      }
    }
    y.add("brokers:");
    for (int i = 0; i < pops.size(); i++) {
      y.add("  - {id: b" + (i + 1) + ", region: r" + i + ", address: 127.0.1." + (i + 1) + "}");
    }
    return Files.write(dir.resolve(name + ".yaml"), y);
  }

  /** The plan used to put its own load balancers on 127.S.20-23: "Address already in use". */
  @Test
  void demoRunsWithPopsWhereTheLoadBalancersUsedToBe() throws Exception {
    Path file = topology("pops20", List.of("127.0.20", "127.0.21", "127.0.22", "127.0.23"));
    Run r =
        new Run(
            "demo",
            "--json",
            "--topology",
            file.toString(),
            "--controller-region",
            "r0",
            "--target-region",
            "r3");
    assertThat(r.exit()).as(r.err.toString()).isZero();
  }

  @Test
  void aPopOnTheBrokersOwnAddressesIsAConfigErrorNamingBothUses() throws Exception {
    Path file = topology("clash", List.of("127.0.1", "127.0.11"));
    for (String[] args :
        List.of(
            new String[] {
              "demo",
              "--topology",
              file.toString(),
              "--controller-region",
              "r0",
              "--target-region",
              "r1"
            },
            new String[] {
              "up",
              "--foreground",
              "--state-dir",
              dir.resolve("state").toString(),
              "--topology",
              file.toString()
            })) {
      Run r = new Run(args);
      assertThat(r.exit()).as(r.err.toString()).isEqualTo(3);
      assertThat(r.err.toString())
          .isEqualTo(
              "switchboard: "
                  + file
                  + ": cannot run locally: 127.0.1.1:7443 would be both broker b1 (client port)"
                  + " and region r0's POP for b1 (client port)"
                  + System.lineSeparator());
      assertThat(r.out.toString()).isEmpty();
    }
  }

  @Test
  void moreRegionsThanTheAddressPlanHoldsIsAConfigError() throws Exception {
    List<String> pops = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      pops.add("127.0." + (100 + i));
    }
    Path file = topology("fifteen", pops);
    Run r =
        new Run("up", "--foreground", "--state-dir", dir.toString(), "--topology", file.toString());
    assertThat(r.exit()).as(r.err.toString()).isEqualTo(3);
    assertThat(r.err.toString())
        .startsWith("switchboard: " + file + ": cannot run locally: 15 regions:")
        .hasLineCount(1);
  }
}
