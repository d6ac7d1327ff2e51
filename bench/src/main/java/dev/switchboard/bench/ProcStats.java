package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads a Linux process's resident memory, open descriptors and CPU time from /proc. */
final class ProcStats {
  /** USER_HZ on every mainstream Linux; /proc/PID/stat counts CPU time in these ticks. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcStats() {}

  /** VmRSS in bytes. */
  static long rssBytes(long pid) {
    for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  static int openFds(long pid) {
    try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int threads(long pid) {
    for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** User plus system CPU time consumed so far, in seconds. */
  static double cpuSeconds(long pid) {
    String stat = lines(Path.of("/proc", Long.toString(pid), "stat")).get(0);
    // The command name (field 2) may contain spaces; fields after its closing parenthesis are
    // fixed.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    return (utime + stime) / (double) TICKS_PER_SECOND;
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
