package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.broker.Broker;
import dev.switchboard.cli.Switchboard;
import dev.switchboard.client.Blocking;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RcCommandsTest {
  @TempDir Path dir;

  static final class Run {
    // Shared with UpDownStatusTest.
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CompletableFuture<Integer> code;
    final CommandLine cl;

    Run(String... args) {
      cl = Switchboard.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      code = Blocking.supply(() -> cl.execute(args));
    }

    /** Stops a listening controller as Ctrl-C does. */
    void stopController() {
      ((ControllerCommand) cl.getSubcommands().get("controller").getCommand()).stop();
    }

    int exit() throws Exception {
      return code.get(60, TimeUnit.SECONDS);
    }

    String waitForOut(Pattern p) {
      try {
        return await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> p.matcher(out.toString()), Matcher::find)
            .group(1);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("never printed " + p + "; out=" + out + " err=" + err, e);
      }
    }
  }

  @Test
  void demoJsonReportsTheSixStepsAcrossRegions() throws Exception {
    Run r = new Run("demo", "--json");
    assertThat(r.exit()).as(r.err.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out.toString());
    assertThat(j.path("selectedBroker").asText()).isIn("broker-in-3", "broker-in-4");
    assertThat(j.path("controllerBroker").asText()).startsWith("broker-us");
    assertThat(j.path("redirected").asBoolean()).isTrue();
    assertThat(j.path("bytesVerified").asLong()).isEqualTo(2 * 1024 * 1024);
    assertThat(j.path("setupMs").asLong()).isPositive();
    assertThat(j.path("latenciesMs").size()).isEqualTo(4);
    assertThat(j.path("latenciesMs").path("broker-in-3").asDouble())
        .isLessThan(j.path("latenciesMs").path("broker-us-1").asDouble());
    assertThat(j.findValuesAsText("name"))
        .containsExactly(
            "code", "probe", "join", "mesh-claim", "redirect", "attach", "relay", "verify");
  }

  @Test
  void demoWithBothSidesInOneRegion() throws Exception {
    Run r = new Run("demo", "--json", "--controller-region", "in", "--target-region", "in");
    assertThat(r.exit()).as(r.err.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out.toString());
    assertThat(j.path("selectedBroker").asText()).startsWith("broker-in");
    assertThat(j.path("controllerBroker").asText()).startsWith("broker-in");
  }

  @Test
  void demoShowsARegionalLoadBalancerRestartWithoutHurtingTheSession() throws Exception {
    Run r = new Run("demo", "--json", "--restart-regional-lb", "us");
    assertThat(r.exit()).as(r.err.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out.toString());
    assertThat(j.findValuesAsText("name")).contains("lb-stopped", "lb-restarted", "new-session");
    assertThat(j.path("bytesVerified").asLong()).isEqualTo(3L * 2 * 1024 * 1024);
  }

  @Test
  void demoWithBrokerIn3FailedChoosesBrokerIn4() throws Exception {
    Run r = new Run("demo", "--json", "--fail", "broker-in-3");
    assertThat(r.exit()).as(r.err.toString()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out.toString());
    assertThat(j.path("selectedBroker").asText()).isEqualTo("broker-in-4");
  }

  @Test
  void demoRejectsAnUnknownRegionWithUsageExit() throws Exception {
    Run r = new Run("demo", "--target-region", "mars");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err.toString()).startsWith("switchboard: unknown region 'mars'").hasLineCount(1);
  }

  @Test
  void controllerAndTargetCommandsBridgeALocalConnectionToACommand() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    pki.target("t1");
    try (Broker b =
        TestBrokers.start(pki, TestBrokers.config(pki, "broker-cli-1"), Clock.systemUTC())) {
      String broker = "localhost:" + b.clientPort();
      Run ctl =
          new Run(
              "controller",
              "--broker",
              broker,
              "--pki",
              pki.dir().toString(),
              "--name",
              "alice",
              "--listen",
              "127.0.0.1:0");
      String code = ctl.waitForOut(Pattern.compile("Connection code: (\\S+)"));
      Run tgt =
          new Run(
              "target",
              "--broker",
              broker,
              "--pki",
              pki.dir().toString(),
              "--name",
              "t1",
              "--code",
              code,
              "--exec",
              "tr a-z A-Z");
      String port =
          ctl.waitForOut(
              Pattern.compile("listening on 127.0.0.1:(\\d+) for the target's default service"));
      try (Socket s = new Socket("127.0.0.1", Integer.parseInt(port))) {
        OutputStream o = s.getOutputStream();
        o.write("remote control works\n".getBytes());
        s.shutdownOutput();
        InputStream in = s.getInputStream();
        assertThat(new String(in.readAllBytes())).isEqualTo("REMOTE CONTROL WORKS\n");
      }
      ctl.stopController();
      assertThat(ctl.exit()).as(ctl.err.toString()).isZero();
      assertThat(tgt.exit()).as(tgt.err.toString()).isZero();
      assertThat(tgt.err.toString()).contains("with alice via broker-cli-1");
    }
  }

  @Test
  void aWrongCodeExitsWithTheRefusedCodeAndOneLine() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.target("t1");
    try (Broker b =
        TestBrokers.start(pki, TestBrokers.config(pki, "broker-cli-2"), Clock.systemUTC())) {
      Run tgt =
          new Run(
              "target",
              "--broker",
              "localhost:" + b.clientPort(),
              "--pki",
              pki.dir().toString(),
              "--name",
              "t1",
              "--code",
              "ABCDE-FGHJK",
              "--exec",
              "cat");
      assertThat(tgt.exit()).isEqualTo(4);
      assertThat(tgt.err.toString())
          .startsWith("switchboard: refused: CODE_UNKNOWN")
          .hasLineCount(1);
    }
  }

  @Test
  void missingCertificateIsAConfigurationError() throws Exception {
    Run r =
        new Run(
            "controller",
            "--broker",
            "localhost:1",
            "--ca",
            dir.resolve("nope.pem").toString(),
            "--cert",
            dir.resolve("a.pem").toString(),
            "--key",
            dir.resolve("a-key.pem").toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err.toString()).startsWith("switchboard: file not found").hasLineCount(1);
  }

  @Test
  void unreachableBrokerIsANetworkError() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    Run r =
        new Run(
            "controller",
            "--broker",
            "127.0.0.1:1",
            "--pki",
            pki.dir().toString(),
            "--name",
            "alice");
    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.err.toString()).startsWith("switchboard: cannot reach broker").hasLineCount(1);
  }

  @Test
  void drainDeadlinesUseTheOneDurationSyntax() throws Exception {
    Run r = new Run("down", "--broker", "b1", "--deadline", "30", "--state-dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err.toString())
        .contains("--deadline: a duration needs a unit: write 30s or 30ms")
        .hasLineCount(1);
    Run big =
        new Run("down", "--broker", "b1", "--drain-deadline", "2h", "--state-dir", dir.toString());
    assertThat(big.exit()).isEqualTo(2);
    assertThat(big.err.toString()).contains("--drain-deadline: must be at most 1h, got 2h");
  }

  @Test
  void brokerWithABadConfigFileExitsThree() throws Exception {
    Path cfg = dir.resolve("broker.yaml");
    Files.writeString(cfg, "id: b1\nlisten: {admin: 127.0.0.1:0}\n");
    Run r = new Run("broker", "--config", cfg.toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err.toString())
        .contains(cfg + ": listen.client: required field is missing")
        .hasLineCount(1);
  }
}
