package dev.switchboard.dist;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** A child process whose output is collected, with waits on what it prints and signals to it. */
final class Proc implements AutoCloseable {
  private final Process process;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();
  private final List<Thread> pumps = new ArrayList<>();

  private Proc(Process process) {
    this.process = process;
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
  }

  /** {@code java -jar switchboard.jar ARGS}: the shaded jar the package phase of cli built. */
  static Proc switchboard(String... args) throws IOException {
    Path jar = Path.of(System.getProperty("switchboard.jar", "../cli/target/switchboard.jar"));
    Assumptions.assumeTrue(
        Files.isRegularFile(jar), "no " + jar + ": run through `./mvnw verify` (cli's package)");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    return new Proc(new ProcessBuilder(cmd).start());
  }

  static Proc start(List<String> cmd) throws IOException {
    return new Proc(new ProcessBuilder(cmd).start());
  }

  /** Runs {@code cmd} to its end (at most two minutes) and returns its exit code. */
  static Result run(List<String> cmd) throws IOException, InterruptedException {
    try (Proc p = start(cmd)) {
      if (!p.process.waitFor(2, TimeUnit.MINUTES)) {
        throw new IOException("still running after 2 min: " + cmd);
      }
      p.drain();
      return new Result(p.process.exitValue(), p.out.toString(), p.err.toString());
    }
  }

  record Result(int code, String out, String err) {}

  /** Waits for a line of stdout matching {@code regex} and returns the match. */
  Matcher awaitOut(String regex) {
    Pattern p = Pattern.compile(regex);
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              if (!process.isAlive() && !p.matcher(out).find()) {
                throw new AssertionError("exited " + process.exitValue() + "; " + this);
              }
              Matcher m = p.matcher(out);
              return m.find() ? m : null;
            },
            m -> m != null);
  }

  void awaitErr(String text) {
    await().atMost(Duration.ofSeconds(60)).until(() -> err.toString().contains(text));
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  Process process() {
    return process;
  }

  void signal(String name) throws IOException, InterruptedException {
    Result r = run(List.of("kill", "-" + name, Long.toString(process.pid())));
    if (r.code() != 0) {
      throw new IOException("kill -" + name + " failed: " + r.err());
    }
  }

  /** Waits for the exit (at most a minute) and returns its code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("still running after 60 s; " + this);
    }
    drain();
    return process.exitValue();
  }

  private void drain() throws InterruptedException {
    // The pump threads may still be copying the last bytes the process wrote.
    await().atMost(Duration.ofSeconds(10)).until(() -> pumps.stream().noneMatch(Thread::isAlive));
  }

  private void pump(InputStream in, StringBuffer to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                  to.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                // The process is gone.
              }
            },
            "proc-pump");
    t.setDaemon(true);
    t.start();
    pumps.add(t);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "stdout:\n" + out + "\nstderr:\n" + err;
  }
}
