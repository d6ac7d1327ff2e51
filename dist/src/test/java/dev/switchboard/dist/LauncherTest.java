package dev.switchboard.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM settings bin/switchboard gives a broker, which the memory per idle session in
 * docs/benchmarks.md ("Sessions per broker") relies on; run with a stand-in {@code java} that
 * prints what it was given.
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "bin", "switchboard");

  @TempDir Path home;

  @Test
  void brokerGetsTheThroughputCollectorBoundedYoungGenerationAndTwoMallocArenas() throws Exception {
    List<String> seen = launch("", "broker", "--config", "broker.yaml");
    List<String> jvmFlags = seen.subList(0, seen.indexOf("-jar"));
    assertThat(jvmFlags).contains("-XX:+UseParallelGC", "-XX:MaxNewSize=64m");
    assertThat(seen).contains("MALLOC_ARENA_MAX=2").containsSubsequence("-jar", "broker");
  }

  @Test
  void aCollectorNamedInSwitchboardJavaOptsReplacesOurs() throws Exception {
    List<String> seen = launch("-XX:+UseG1GC", "broker", "--config", "broker.yaml");
    assertThat(seen).contains("-XX:+UseG1GC").doesNotContain("-XX:+UseParallelGC");
  }

  @Test
  void otherCommandsKeepTheJvmDefaults() throws Exception {
    List<String> seen = launch("", "pki", "init", "--dir", "pki");
    assertThat(seen)
        .doesNotContain("-XX:+UseParallelGC", "-XX:MaxNewSize=64m", "MALLOC_ARENA_MAX=2");
  }

  /** Runs a copy of the launcher beside a current (empty) jar; returns the stand-in's lines. */
  private List<String> launch(String javaOpts, String... args) throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path launcher = Files.copy(LAUNCHER, bin.resolve("switchboard"));
    executable(launcher);
    Files.createFile(
        Files.createDirectories(home.resolve("cli/target")).resolve("switchboard.jar"));
    Path java = home.resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"\n");
    executable(java);
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "env",
            "-u",
            "MALLOC_ARENA_MAX",
            "JAVA=" + java,
            "SWITCHBOARD_JAVA_OPTS=" + javaOpts,
            launcher.toString()));
    cmd.addAll(List.of(args));
    Proc.Result r = Proc.run(cmd);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().toList();
  }

  private static void executable(Path p) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
