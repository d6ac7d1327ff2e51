package dev.switchboard.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises CPU samples of a JFR recording: the methods most often on top of the stack (self time)
 * and most often anywhere on it (total time), as shares of all samples.
 *
 * <p>Usage: {@code java -cp switchboard-bench.jar dev.switchboard.bench.JfrTop FILE.jfr [N]
 * [THREAD-PREFIX]}
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    String threadPrefix = args.length > 2 ? args[2] : "";
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      String thread =
          e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      if (thread == null || !thread.startsWith(threadPrefix)) {
        continue;
      }
      samples++;
      threads.merge(thread.replaceAll("\\d+$", "N"), 1, Integer::sum);
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String m = name(f);
        if (seen.add(m)) {
          total.merge(m, 1, Integer::sum);
        }
      }
    }
    System.out.println(samples + " CPU samples");
    print("by thread", threads, samples, n);
    print("self (top of stack)", self, samples, n);
    print("total (anywhere on stack)", total, samples, n);
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int n) {
    System.out.println("-- " + title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(n)
        .forEach(
            en -> System.out.printf("%5.1f%%  %s%n", 100.0 * en.getValue() / samples, en.getKey()));
  }
}
