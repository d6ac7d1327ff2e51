package dev.switchboard.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.broker.Broker;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code controller --shell} in a person's terminal (a tmux window) and {@code target --shell} on
 * the other side of a broker: a real terminal through the session — its own tty, the window's size
 * and its changes, Ctrl-C to the remote program, the remote exit status as the controller's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RemoteShellSessionTest {
  @TempDir Path dir;
  private Tmux tmux;
  private Broker broker;
  private Process target;

  @AfterEach
  void stop() throws Exception {
    if (tmux != null) {
      tmux.close();
    }
    if (target != null) {
      target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aRemoteShellThroughTheSessionActsLikeALocalTerminal() throws Exception {
    assumeTrue(Tmux.installed(), "tmux is not installed: skipping the real-terminal test");
    TestPki pki = TestPki.create(dir.resolve("pki"));
    pki.controller("alice");
    pki.target("t1");
    broker = TestBrokers.start(pki, TestBrokers.config(pki, "broker-shell"), Clock.systemUTC());
    String at = "localhost:" + broker.clientPort();
    tmux =
        Tmux.start(
            Files.createDirectories(dir.resolve("tmux")),
            100,
            30,
            "dev.switchboard.cli.Switchboard",
            "controller --broker " + at + " --pki " + pki.dir() + " --name alice --shell");
    String code = tmux.await("Connection code: (\\S+)");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    target =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.switchboard.cli.Switchboard",
                    "target",
                    "--broker",
                    at,
                    "--pki",
                    pki.dir().toString(),
                    "--name",
                    "t1",
                    "--code",
                    code,
                    "--shell",
                    "PS1='remote$ ' exec bash --norc --noprofile -i"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("target.log").toFile())
            .start();
    tmux.await("remote\\$");

    command("tty");
    String remoteTty = tmux.await("(?m)^(/dev/pts/\\d+)\\s*$");
    assertThat(remoteTty).isNotEqualTo(tmux.tty());

    command("stty size");
    tmux.await("(?m)^30 100\\s*$");
    tmux.resize(120, 40);
    command("clear; stty size");
    tmux.await("(?m)^40 120\\s*$");

    command("sleep 4712");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> sleep4712().filter(Foreground::is).isPresent());
    ProcessHandle sleep = sleep4712().orElseThrow();
    tmux.keys("C-c"); // to the remote program, not to the controller
    await().atMost(Duration.ofSeconds(60)).until(() -> !sleep.isAlive());
    command("echo status=$?");
    assertThat(tmux.await("(?m)^status=(\\d+)\\s*$")).isEqualTo("130");

    command("exit 3");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tmux.result()));
    String result = Files.readString(tmux.result());
    assertThat(result).startsWith("exit=3\n");
    Set<String> flags = Tmux.flags(result);
    for (String flag : LocalTerminalTest.COOKED) {
      assertThat(flags).as("terminal restored").contains(flag).doesNotContain("-" + flag);
    }
    assertThat(target.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(target.exitValue()).as(Files.readString(dir.resolve("target.log"))).isZero();
  }

  private void command(String line) throws Exception {
    tmux.keys("-l", line);
    tmux.keys("Enter");
  }

  private static Optional<ProcessHandle> sleep4712() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().orElse("").endsWith("/sleep"))
        .filter(
            p -> p.info().arguments().map(a -> List.of(a).equals(List.of("4712"))).orElse(false))
        .findFirst();
  }
}
