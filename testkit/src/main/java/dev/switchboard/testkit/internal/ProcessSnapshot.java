package dev.switchboard.testkit.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this JVM holds at one moment that a test could leak: live threads, listening TCP and bound
 * UDP sockets, and live child processes. Sockets come from {@code /proc/self/net/*} filtered by the
 * inodes of this process's own descriptors, so other processes on the machine never count.
 */
public record ProcessSnapshot(Set<Thread> threads, Map<Long, String> sockets, Set<Long> children) {

  /**
   * Threads that belong to the JVM, the test runner or a shared daemon pool that outlives one test
   * by design (idle workers of a cached pool, Netty's global executor, JNA's cleaner that pty4j
   * starts once per JVM).
   */
  private static final List<String> AMBIENT_THREAD_PREFIXES =
      List.of(
          "ForkJoinPool",
          "process reaper",
          "Common-Cleaner",
          "Attach Listener",
          "Signal Dispatcher",
          "Reference Handler",
          "Finalizer",
          "Notification Thread",
          "surefire",
          "junit",
          "globalEventExecutor",
          "switchboard-blocking",
          "JFR",
          "Keep-Alive",
          "HttpClient",
          "ObjectCleanerThread",
          "Timer-",
          "C1 ",
          "C2 ",
          "Sweeper",
          "Monitor Deflation",
          "awaitility",
          "CompletableFutureDelayScheduler",
          "prometheus-metrics-scheduler",
          "JNA Cleaner");

  public static ProcessSnapshot take() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && !ambient(t)) {
        threads.add(t);
      }
    }
    Set<Long> children = new HashSet<>();
    ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .forEach(p -> children.add(p.pid()));
    return new ProcessSnapshot(threads, ownSockets(), children);
  }

  /** What {@code now} holds that this snapshot did not, one line per leaked resource. */
  public List<String> leakedIn(ProcessSnapshot now) {
    List<String> leaks = new ArrayList<>();
    for (Thread t : now.threads) {
      if (!threads.contains(t)) {
        leaks.add("thread '" + t.getName() + "' (" + t.getState() + ")");
      }
    }
    now.sockets.forEach(
        (inode, what) -> {
          if (!sockets.containsKey(inode)) {
            leaks.add("socket " + what);
          }
        });
    for (long pid : now.children) {
      if (!children.contains(pid)) {
        String cmd = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("?");
        leaks.add("child process " + pid + " (" + cmd + ")");
      }
    }
    return leaks;
  }

  private static boolean ambient(Thread t) {
    String name = t.getName();
    return AMBIENT_THREAD_PREFIXES.stream().anyMatch(name::startsWith);
  }

  private static Map<Long, String> ownSockets() {
    Set<Long> mine = socketInodes();
    Map<Long, String> out = new HashMap<>();
    if (mine.isEmpty()) {
      return out;
    }
    readTable("tcp", true, mine, out);
    readTable("tcp6", true, mine, out);
    readTable("udp", false, mine, out);
    readTable("udp6", false, mine, out);
    return out;
  }

  private static Set<Long> socketInodes() {
    Set<Long> inodes = new HashSet<>();
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return inodes; // not Linux: socket checks are skipped, threads and processes still count
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fds)) {
      for (Path fd : ds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException | NumberFormatException e) {
          // the descriptor closed while we listed the directory: not a leak
        }
      }
    } catch (IOException e) {
      return inodes;
    }
    return inodes;
  }

  private static void readTable(String table, boolean tcp, Set<Long> mine, Map<Long, String> out) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/self/net", table));
    } catch (IOException e) {
      return;
    }
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 10) {
        continue;
      }
      long inode = Long.parseLong(f[9]);
      boolean listening = !tcp || "0A".equals(f[3]);
      if (inode != 0 && listening && mine.contains(inode)) {
        out.put(inode, (tcp ? "tcp listening on " : "udp bound to ") + address(f[1]));
      }
    }
  }

  /**
   * {@code 0100007F:1F90} → {@code 127.0.0.1:8080}. The kernel writes each 32-bit word of the
   * address in host (little-endian) order; IPv4-mapped IPv6 addresses print as IPv4.
   */
  static String address(String hex) {
    int colon = hex.indexOf(':');
    String ip = hex.substring(0, colon);
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    byte[] bytes = new byte[ip.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(ip.substring(at, at + 2), 16);
      }
    }
    try {
      InetAddress a = InetAddress.getByAddress(bytes);
      return (a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress())
          + ":"
          + port;
    } catch (UnknownHostException e) {
      return hex;
    }
  }
}
