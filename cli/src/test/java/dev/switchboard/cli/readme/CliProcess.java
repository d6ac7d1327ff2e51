package dev.switchboard.cli.readme;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/switchboard} command line run as its own JVM, as the launcher runs it, with HOME
 * (and {@code user.home}) pointing at a scratch folder; output goes to files so a command that
 * prints a lot never blocks on a pipe.
 */
final class CliProcess {
  final List<String> args;
  final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(List<String> args, Process process, Path out, Path err) {
    this.args = args;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static CliProcess start(List<String> args, Path workDir, Path home, Path logs, int n)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short-lived JVMs: C1 only and the serial collector start fastest.
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.home=" + home));
    // The build's quicker POP probes for `up` (cli/pom.xml): a launcher option, not the command's.
    String probe = System.getProperty("switchboard.up.globalProbeInterval");
    if (probe != null) {
      cmd.add("-Dswitchboard.up.globalProbeInterval=" + probe);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add("dev.switchboard.cli.Switchboard");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("XDG_") || k.startsWith("SWITCHBOARD_") || k.startsWith("AZURE_"));
    env.put("HOME", home.toString());
    Path out = logs.resolve(n + ".out");
    Path err = logs.resolve(n + ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    boolean stdio =
        args.get(0).equals("controller")
            && !args.contains("--listen")
            && !args.contains("--forward");
    if (!stdio) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    return new CliProcess(List.copyOf(args), pb.start(), out, err);
  }

  String out() {
    return read(out);
  }

  String err() {
    return read(err);
  }

  /** Writes to the command's standard input (a stdin/stdout controller). */
  void type(String text) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write(text.getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  void closeInput() throws IOException {
    process.getOutputStream().close();
  }

  /** Waits for the command to end; -1 if it is still running after {@code seconds}. */
  int await(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** Stops the command and everything it started, politely first. */
  void stop() throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  String describe() {
    return "switchboard "
        + String.join(" ", args)
        + "\n--- stdout:\n"
        + out()
        + "--- stderr:\n"
        + err();
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
