package dev.switchboard.cloud.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A tiny image built offline, no registry: Debian's busybox-static for {@code sh}, the host's perl
 * (Debian's essential perl-base, with the libraries it links) for sockets, and {@code echo.pl} as
 * its command; imported into podman under a name of its own for each test class.
 */
final class TestImage implements AutoCloseable {
  private static final Path BUSYBOX = Path.of("/usr/bin/busybox");
  private static final Path PERL = Path.of("/usr/bin/perl");

  final String name;

  private TestImage(String name) {
    this.name = name;
  }

  /** Why podman cannot build and run the test image here, or empty if it can. */
  static Optional<String> unavailable() {
    if (!onPath("podman")) {
      return Optional.of("podman is not installed (apt-get install podman runc busybox-static)");
    }
    if (!Files.isExecutable(BUSYBOX) || !Files.isExecutable(PERL)) {
      return Optional.of("busybox-static or perl is missing (apt-get install busybox-static)");
    }
    try {
      output(List.of("podman", "info"));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("podman cannot run here: " + e.getMessage());
    }
  }

  static TestImage build(Path work) throws IOException {
    Path root = Files.createDirectories(work.resolve("rootfs"));
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"));
    for (String applet : List.of("sh", "sleep", "cat", "echo", "ls", "kill")) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    copy(PERL, root);
    for (String line : output(List.of("ldd", PERL.toString())).split("\n")) {
      for (String token : line.trim().split("\\s+")) {
        if (token.startsWith("/")) {
          copy(Path.of(token), root);
        }
      }
    }
    String inet =
        output(List.of("perl", "-MIO::Socket::INET", "-e", "print $INC{'IO/Socket/INET.pm'}"));
    Path modules = Path.of(inet.trim()).getParent().getParent().getParent();
    copyTree(modules, root);
    try (InputStream in = TestImage.class.getResourceAsStream("/podman/echo.pl")) {
      Files.write(root.resolve("echo.pl"), in.readAllBytes());
    }
    Path tar = work.resolve("rootfs.tar");
    check(run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."), null), "tar");
    String name = "localhost/switchboard-test-echo:" + UUID.randomUUID().toString().substring(0, 8);
    check(
        run(
            List.of(
                "podman",
                "import",
                "--change",
                "CMD [\"/usr/bin/perl\", \"/echo.pl\"]",
                tar.toString(),
                name),
            null),
        "podman import");
    return new TestImage(name);
  }

  @Override
  public void close() throws IOException {
    run(List.of("podman", "rmi", "-f", name), null);
  }

  private static void copy(Path file, Path root) throws IOException {
    Path target = root.resolve(file.toString().substring(1));
    Files.createDirectories(target.getParent());
    Files.copy(file.toRealPath(), target);
  }

  private static void copyTree(Path dir, Path root) throws IOException {
    List<Path> all;
    try (var s = Files.walk(dir)) {
      all = s.filter(Files::isRegularFile).toList();
    }
    for (Path p : all) {
      copy(p, root);
    }
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  private static void check(int code, String what) throws IOException {
    if (code != 0) {
      throw new IOException(what + " failed with exit code " + code);
    }
  }

  private static String output(List<String> cmd) throws IOException {
    Path out = Files.createTempFile("test-image", ".out");
    try {
      check(run(cmd, out), String.join(" ", cmd));
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static int run(List<String> cmd, Path out) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
    pb.redirectOutput(
        out == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(out.toFile()));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
