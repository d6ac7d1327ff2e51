package dev.switchboard.cli.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cli.Switchboard;
import dev.switchboard.client.Blocking;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every command of README.md's "Commands" section, block by block and in order, as a user
 * would from the repository root: each {@code bin/switchboard} line as its own JVM with HOME in a
 * scratch folder, commands that keep running in the background until their block ends, and each
 * must exit 0 (but for a session that {@code sessions end} ended: both sides exit 1 saying so). The
 * only substitutions are what a user would type differently: the connection code the controller
 * actually printed, the session id the target printed, and an SSH banner server in place of the
 * sshd at {@code 127.0.0.1:22}. {@code curl} is an HTTP GET that must answer 200; {@code ssh -p}
 * must get the banner through the brokers; an {@code ssh} ProxyCommand must parse as a switchboard
 * command.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReadmeCommandsTest {
  private static final Set<String> KEEPS_RUNNING =
      Set.of("broker", "controller", "target", "lb run", "delay");
  private static final Pattern CODE = Pattern.compile("Connection code: (\\S+)");
  private static final String SSH_BANNER = "SSH-2.0-ReadmeCommandsTest";

  @TempDir Path tmp;
  private Path work;
  private Path home;
  private Path logs;
  private int n;
  private String code;
  private String sessionId;
  private ServerSocket sshd;
  private final List<CliProcess> running = new ArrayList<>();

  @Test
  void everyReadmeCommandRunsAsWritten() throws Exception {
    work = Files.createDirectories(tmp.resolve("repo"));
    home = Files.createDirectories(tmp.resolve("home"));
    logs = Files.createDirectories(tmp.resolve("logs"));
    copyTree(Path.of("..", "examples"), work.resolve("examples"));
    startSshd();
    List<List<List<String>>> blocks = ReadmeScript.blocks(Path.of("..", "README.md"));
    assertThat(blocks).as("fenced blocks under '%s'", ReadmeScript.SECTION).hasSizeGreaterThan(1);
    for (List<List<String>> block : blocks) {
      for (List<String> words : block) {
        run(words);
      }
      endBlock();
    }
  }

  private void run(List<String> words) throws Exception {
    long start = System.nanoTime();
    dispatch(words);
    // In the report's output, for when the README grows slow.
    System.out.printf("%6d ms  %s%n", (System.nanoTime() - start) / 1_000_000, words);
  }

  private void dispatch(List<String> words) throws Exception {
    switch (words.get(0)) {
      case "bin/switchboard" -> switchboard(expand(words.subList(1, words.size())));
      case "cp" ->
          Files.copy(
              work.resolve(expand(words.get(1))),
              work.resolve(expand(words.get(2))),
              StandardCopyOption.REPLACE_EXISTING);
      case "curl" -> curl(words.get(1));
      case "ssh" -> ssh(words);
      default -> fail("the README runs '%s', which this test does not know how to run", words);
    }
  }

  private void switchboard(List<String> args) throws Exception {
    if (args.get(0).equals("demo")) {
      demo(args);
      return;
    }
    if (args.get(0).equals("down")) {
      ctrlCListeningControllers();
    }
    CliProcess p = CliProcess.start(args, work, home, logs, n++);
    String verb = args.get(0).equals("lb") ? "lb " + args.get(1) : args.get(0);
    if (!KEEPS_RUNNING.contains(verb)) {
      int exit = p.await(120);
      if (exit != 0) {
        p.stop();
      }
      assertThat(exit).as("exit code of %s", p.describe()).isZero();
      if (args.size() > 1 && args.get(0).equals("sessions") && args.get(1).equals("end")) {
        endedByOperator(args.get(args.indexOf("--reason") + 1));
      }
      return;
    }
    running.add(p);
    switch (verb) {
      case "controller" -> code = awaitOutput(p, CODE);
      case "target" -> {
        sessionId = awaitOutput(p, Pattern.compile("session (\\S+) with"));
        if (args.contains("--exec")) {
          talkThroughStdioController();
        }
      }
      default -> awaitOutput(p, Pattern.compile("(.+)"));
    }
  }

  /**
   * A demo reads no HOME state and prints only through picocli, so it runs in this (warm) JVM: five
   * cold demo JVMs would take most of this test's time budget.
   */
  private void demo(List<String> args) throws Exception {
    CommandLine cl = Switchboard.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // This JVM's working directory is the module, not the repository root the README runs from.
    String[] argv = args.toArray(String[]::new);
    for (int i = 1; i < argv.length; i++) {
      if (argv[i - 1].equals("--topology")) {
        argv[i] = work.resolve(argv[i]).toString();
      }
    }
    int exit = Blocking.supply(() -> cl.execute(argv)).get(120, TimeUnit.SECONDS);
    assertThat(exit).as("exit code of switchboard %s\n%s\n%s", args, out, err).isZero();
  }

  /** The session of a stdin/stdout controller reaches the target's command and comes back. */
  private void talkThroughStdioController() throws Exception {
    CliProcess controller =
        running.stream()
            .filter(p -> p.args.get(0).equals("controller") && !p.args.contains("--listen"))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("a target --exec without a stdio controller"));
    controller.type("echo readme-$((40 + 2))\nexit\n");
    awaitOutput(controller, Pattern.compile("(readme-42)"));
    controller.closeInput();
  }

  /** The last controller and target: their session was ended, and each says so with the reason. */
  private void endedByOperator(String reason) throws Exception {
    for (String side : List.of("controller", "target")) {
      CliProcess p =
          running.stream()
              .filter(r -> r.args.get(0).equals(side))
              .reduce((a, b) -> b)
              .orElseThrow(() -> new AssertionError("sessions end without a running " + side));
      int exit = p.await(30);
      if (exit != 1) {
        p.stop();
      }
      assertThat(exit).as("exit code of %s", p.describe()).isEqualTo(1);
      assertThat(p.err()).as(p.describe()).contains("ENDED_BY_OPERATOR", reason);
      running.remove(p);
    }
  }

  /**
   * A controller with listeners keeps its session until Ctrl-C: a user stops it before stopping the
   * brokers. It ends the session cleanly: it and its target exit 0.
   */
  private void ctrlCListeningControllers() throws Exception {
    for (CliProcess p : running) {
      if (p.args.get(0).equals("controller")
          && p.process.isAlive()
          && (p.args.contains("--listen") || p.args.contains("--forward"))) {
        p.process.destroy(); // SIGTERM, handled as Ctrl-C's SIGINT
        int exit = p.await(30);
        assertThat(exit).as("exit code after Ctrl-C of %s", p.describe()).isZero();
        assertThat(p.err()).contains("stopping: ending the session");
      }
    }
  }

  /** Commands a user stops with Ctrl-C stop; sessions must have ended by themselves, with 0. */
  private void endBlock() throws Exception {
    for (CliProcess p : running) {
      String verb = p.args.get(0);
      if (verb.equals("controller") || verb.equals("target")) {
        int exit = p.await(30);
        if (exit != 0) {
          p.stop();
        }
        assertThat(exit).as("exit code at the end of the session of %s", p.describe()).isZero();
      }
    }
    for (CliProcess p : running) {
      p.stop();
    }
    running.clear();
  }

  private void curl(String url) throws Exception {
    // A server started by the line before may print before its admin port listens: like a person
    // retrying curl, wait until it answers (a bound, not a timing).
    HttpResponse<String> r =
        Awaitility.await("curl " + url)
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .ignoreException(ConnectException.class)
            .until(
                () ->
                    HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                            HttpResponse.BodyHandlers.ofString()),
                response -> true);
    assertThat(r.statusCode()).as("curl %s: %s", url, r.body()).isEqualTo(200);
  }

  private void ssh(List<String> words) throws Exception {
    if (words.get(1).equals("-o") && words.get(2).startsWith("ProxyCommand=")) {
      List<String> proxy =
          ReadmeScript.commands(words.get(2).substring("ProxyCommand=".length())).get(0);
      assertThat(proxy.get(0)).isEqualTo("bin/switchboard");
      // Throws (and fails the test) if an option or value no longer parses.
      Switchboard.commandLine()
          .parseArgs(expand(proxy.subList(1, proxy.size())).toArray(String[]::new));
      return;
    }
    assertThat(words.get(1)).as("ssh line: %s", words).isEqualTo("-p");
    int port = Integer.parseInt(words.get(2));
    String host = words.get(3).substring(words.get(3).indexOf('@') + 1);
    String banner =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> readLine(host, port), l -> l != null);
    assertThat(banner).as("what ssh would read through the session").isEqualTo(SSH_BANNER);
  }

  private static String readLine(String host, int port) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(20_000);
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  private String awaitOutput(CliProcess p, Pattern pattern) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              if (!p.process.isAlive()) {
                throw new AssertionError(
                    "ended early with " + p.process.exitValue() + ": " + p.describe());
              }
              Matcher m = pattern.matcher(p.out() + "\n" + p.err());
              return m.find() ? m.group(1) : null;
            },
            s -> s != null);
  }

  private List<String> expand(List<String> words) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = expand(words.get(i));
      if (i > 0 && words.get(i - 1).equals("--code")) {
        assertThat(code).as("a --code before any controller printed one").isNotNull();
        w = code;
      } else if (i > 1 && words.get(i - 2).equals("sessions") && words.get(i - 1).equals("end")) {
        assertThat(sessionId).as("a session id before any target printed one").isNotNull();
        w = sessionId;
      } else if (w.equals("127.0.0.1:22")) {
        w = "127.0.0.1:" + sshd.getLocalPort();
      }
      out.add(w);
    }
    return out;
  }

  private String expand(String word) {
    return word.startsWith("~/") ? home.resolve(word.substring(2)).toString() : word;
  }

  /** Stands in for the sshd on the target's machine: sends a banner, then waits for the close. */
  private void startSshd() throws IOException {
    sshd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!sshd.isClosed()) {
                try (Socket s = sshd.accept()) {
                  s.getOutputStream().write((SSH_BANNER + "\r\n").getBytes(StandardCharsets.UTF_8));
                  s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                  // Closed at the end of the test, or the session went away.
                }
              }
            },
            "readme-sshd");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (CliProcess p : running) {
      p.stop();
    }
    if (sshd != null) {
      sshd.close();
    }
    // Detached processes: the `up` topology and the local provider's agent and tasks.
    for (Path state :
        List.of(
            home.resolve(".local/state/switchboard/up/up.json"),
            home.resolve(".config/switchboard/local/state.json"))) {
      if (Files.exists(state)) {
        Matcher m =
            Pattern.compile("\"(?:pid|agentPid)\"\\s*:\\s*(\\d+)").matcher(Files.readString(state));
        while (m.find()) {
          ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
  }
}
