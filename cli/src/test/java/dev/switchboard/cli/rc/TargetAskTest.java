package dev.switchboard.cli.rc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Broker;
import dev.switchboard.cli.Switchboard;
import dev.switchboard.client.Blocking;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code target --ask}: the person at the target sees the controller's name and the broker, and the
 * session is bridged only after a yes; the controller gets a clear refusal otherwise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TargetAskTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  private TestPki pki;
  private String broker;

  @BeforeEach
  void broker() throws Exception {
    pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    pki.target("t1");
    Broker b = started.broker(TestBrokers.config(pki, "broker-ask-1"), Clock.systemUTC());
    broker = "localhost:" + b.clientPort();
  }

  /** The target command with its terminal replaced by {@code answers} and {@code screen}. */
  private static final class AskingTarget {
    final StringWriter err = new StringWriter();
    final StringWriter screen = new StringWriter();
    final CompletableFuture<Integer> code;

    AskingTarget(Reader answers, boolean terminal, String... args) {
      CommandLine cl = Switchboard.commandLine();
      cl.setOut(new PrintWriter(new StringWriter(), true));
      cl.setErr(new PrintWriter(err, true));
      TargetCommand target = cl.getSubcommands().get("target").getCommand();
      target.consent.terminal =
          () ->
              terminal
                  ? Optional.of(new AskTerminal(answers, new PrintWriter(screen, true)))
                  : Optional.empty();
      code = Blocking.supply(() -> cl.execute(args));
    }

    int exit() throws Exception {
      return code.get(60, TimeUnit.SECONDS);
    }
  }

  private RcCommandsTest.Run controller() {
    return new RcCommandsTest.Run(
        "controller",
        "--broker",
        broker,
        "--pki",
        pki.dir().toString(),
        "--name",
        "alice",
        "--listen",
        "127.0.0.1:0");
  }

  private AskingTarget target(Reader answers, String code, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
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
                "tr a-z A-Z",
                "--ask"));
    args.addAll(List.of(more));
    return new AskingTarget(answers, true, args.toArray(String[]::new));
  }

  /** Connects to the controller's --listen port, sends a line and returns all it read back. */
  private static String talk(RcCommandsTest.Run ctl) throws IOException {
    String port =
        ctl.waitForOut(Pattern.compile("listening on 127.0.0.1:(\\d+) for the target's default"));
    try (Socket s = new Socket("127.0.0.1", Integer.parseInt(port))) {
      s.setSoTimeout(30_000);
      OutputStream o = s.getOutputStream();
      o.write("remote control works\n".getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException reset) {
      return "";
    }
  }

  private String code(RcCommandsTest.Run ctl) {
    return ctl.waitForOut(Pattern.compile("Connection code: (\\S+)"));
  }

  @Test
  void yesShowsWhoIsAskingAndBridges() throws Exception {
    RcCommandsTest.Run ctl = controller();
    AskingTarget tgt = target(new StringReader("yes\n"), code(ctl));
    assertThat(talk(ctl)).isEqualTo("REMOTE CONTROL WORKS\n");
    ctl.stopController(); // a listening controller runs until Ctrl-C
    assertThat(ctl.exit()).as(ctl.err.toString()).isZero();
    assertThat(tgt.exit()).as(tgt.err.toString()).isZero();
    assertThat(tgt.screen.toString())
        .contains("alice (controller certificate) asks to connect through broker broker-ask-1")
        .contains("Allow? [y/N]")
        .contains("allowed");
  }

  @Test
  void noEndsTheSessionAndTheControllerSaysTheTargetDeclined() throws Exception {
    RcCommandsTest.Run ctl = controller();
    AskingTarget tgt = target(new StringReader("n\n"), code(ctl));
    assertThat(tgt.exit()).isEqualTo(1);
    assertThat(tgt.err.toString())
        .endsWith(
            "switchboard: session ended: TARGET_DECLINED — the person at the target declined\n");
    assertThat(talk(ctl)).as("nothing was bridged").isEmpty();
    assertThat(ctl.exit()).isEqualTo(1);
    assertThat(ctl.err.toString())
        .endsWith(
            "switchboard: session ended: TARGET_DECLINED — the person at the target declined\n");
  }

  @Test
  void noAnswerInTimeDeclines() throws Exception {
    RcCommandsTest.Run ctl = controller();
    PipedWriter nobody = new PipedWriter();
    try {
      AskingTarget tgt = target(new PipedReader(nobody), code(ctl), "--ask-timeout", "1s");
      assertThat(tgt.exit()).isEqualTo(1);
      assertThat(tgt.err.toString())
          .contains("TARGET_DECLINED — the target declined: no answer within 1s");
      talk(ctl);
      assertThat(ctl.exit()).isEqualTo(1);
      assertThat(ctl.err.toString()).contains("TARGET_DECLINED — the target declined: no answer");
    } finally {
      nobody.close(); // ends the reader still waiting for a line
    }
  }

  @Test
  void endOfInputDeclines() throws Exception {
    RcCommandsTest.Run ctl = controller();
    AskingTarget tgt = target(new StringReader(""), code(ctl));
    assertThat(tgt.exit()).isEqualTo(1);
    assertThat(tgt.err.toString()).contains("TARGET_DECLINED — the target declined: no answer");
    talk(ctl);
    assertThat(ctl.exit()).isEqualTo(1);
  }

  @Test
  void withoutATerminalAskIsAUsageErrorBeforeAnyBrokerIsAsked() throws Exception {
    AskingTarget tgt =
        new AskingTarget(
            null,
            false,
            "target",
            "--broker",
            "127.0.0.1:1",
            "--pki",
            dir.resolve("none").toString(),
            "--code",
            "ABCDE-FGHJK",
            "--exec",
            "cat",
            "--ask");
    assertThat(tgt.exit()).isEqualTo(2);
    assertThat(tgt.err.toString())
        .isEqualTo("switchboard: --ask needs a terminal to ask on, and this process has none\n");
  }

  @Test
  void anAskTimeoutWithoutAskOrOutOfRangeIsAUsageError() throws Exception {
    String[] base = {
      "target",
      "--broker",
      "127.0.0.1:1",
      "--pki",
      dir.toString(),
      "--code",
      "ABCDE-FGHJK",
      "--exec",
      "cat"
    };
    AskingTarget alone = new AskingTarget(null, true, concat(base, "--ask-timeout", "10s"));
    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err.toString()).isEqualTo("switchboard: --ask-timeout needs --ask\n");
    AskingTarget tooLong =
        new AskingTarget(null, true, concat(base, "--ask", "--ask-timeout", "10m"));
    assertThat(tooLong.exit()).isEqualTo(2);
    assertThat(tooLong.err.toString())
        .contains("--ask-timeout: must be at most 5m")
        .hasLineCount(1);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
