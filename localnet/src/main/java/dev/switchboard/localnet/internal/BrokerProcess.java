package dev.switchboard.localnet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.BearerToken;
import dev.switchboard.config.TokenFile;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker of a local topology running in a JVM of its own ({@link BrokerMain}), started with this
 * JVM's class path, its output in a log file. Stopping closes its standard input (it closes
 * itself), then SIGTERM, then SIGKILL; {@link #killHard} is SIGKILL at once.
 */
public final class BrokerProcess {
  /** Small, quick to start: a broker of the local topology holds few, bounded buffers. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private final String id;
  private final Process process;
  private final HostPort admin;
  private final Path tokenFile;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private BrokerProcess(String id, Process process, HostPort admin, Path tokenFile, Path log) {
    this.id = id;
    this.process = process;
    this.admin = admin;
    this.tokenFile = tokenFile;
    this.log = log;
  }

  /** Launches the broker of {@code config}; returns at once (see {@link #healthy}). */
  public static BrokerProcess start(
      String id, Path config, HostPort admin, Path tokenFile, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(JVM_OPTIONS);
    // The broker and the network under test behave alike in both processes.
    System.getProperties()
        .forEach(
            (k, v) -> {
              String key = k.toString();
              if (key.startsWith("switchboard.") || key.startsWith("io.netty.")) {
                cmd.add("-D" + key + "=" + v);
              }
            });
    String extra = System.getProperty("switchboard.localnet.brokerJvmOptions", "");
    for (String o : extra.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BrokerMain.class.getName());
    cmd.add(config.toAbsolutePath().toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new BrokerProcess(id, p, admin, tokenFile, log);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /**
   * Throws if the process has ended: a {@link java.net.BindException} when a listener's address was
   * in use (so the command reports it as such), else an IOException with its last log line.
   */
  public void requireRunning() throws IOException {
    if (process.isAlive()) {
      return;
    }
    String why = "broker " + id + " exited with code " + process.exitValue() + ": " + lastLogLine();
    if (process.exitValue() == BrokerMain.EXIT_ADDRESS_IN_USE) {
      throw new java.net.BindException(why);
    }
    throw new IOException(why);
  }

  /**
   * True once {@code /healthz} answers 200.
   *
   * @throws IOException if the process has exited, with the last line of its log
   */
  public boolean healthy() throws IOException {
    requireRunning();
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create("http://" + admin + "/healthz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The ids of the peers this broker's mesh links to are down, from its {@code /status}; a phrase
   * in parentheses when it cannot tell (the process exited, or does not answer yet).
   */
  public List<String> meshPeersDown() {
    List<String> down = new ArrayList<>();
    if (!process.isAlive()) {
      return List.of("(it exited with code " + process.exitValue() + ": " + lastLogLine() + ")");
    }
    try {
      BearerToken token = TokenFile.read(tokenFile);
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + admin + "/status"))
                  .header("Authorization", token.header())
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return List.of("(status: HTTP " + r.statusCode() + ")");
      }
      for (JsonNode p : JSON.readTree(r.body()).path("peers")) {
        if (!p.path("up").asBoolean()) {
          down.add(p.path("id").asText());
        }
      }
      return down;
    } catch (IOException e) {
      return List.of("(its admin listener does not answer yet)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("(interrupted)");
    }
  }

  /** SIGKILL, as {@code kill -9}: no goodbye to anyone; waits until the process is gone. */
  public void killHard() {
    process.destroyForcibly();
    waitFor(STOP_GRACE);
  }

  /** Drains the broker (sessions get {@code deadline}, then it leaves its pools) and waits. */
  public void drain(Duration deadline) {
    try {
      OutputStream in = process.getOutputStream();
      in.write(("drain " + deadline.toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      // already gone: stop() below finds it dead
    }
    if (!waitFor(deadline.plus(STOP_GRACE))) {
      stop();
    }
  }

  /** Tells the broker to close (end of its input) without waiting: see {@link #stop}. */
  public void closeInput() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // a broken pipe: the process is gone already
    }
  }

  /** Closes its input (it closes itself), then SIGTERM, then SIGKILL; returns once it is gone. */
  public void stop() {
    closeInput();
    if (waitFor(STOP_GRACE)) {
      return;
    }
    process.destroy();
    if (!waitFor(STOP_GRACE)) {
      killHard();
    }
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private String lastLogLine() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).trim() + " (log: " + log + ")";
        }
      }
      return "no output (log: " + log + ")";
    } catch (IOException e) {
      return "no log (" + log + ")";
    }
  }

  @Override
  public String toString() {
    return "broker " + id + " (pid " + pid() + ")";
  }
}
