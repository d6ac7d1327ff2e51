package dev.switchboard.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** Collects everything a terminal shows, on a thread of its own that ends with the output. */
final class Screen {
  private final StringBuilder textLocked = new StringBuilder();
  private final Thread reader;

  Screen(InputStream output) {
    reader =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                for (int n; (n = output.read(buf)) >= 0; ) {
                  synchronized (textLocked) {
                    textLocked.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                  }
                }
              } catch (IOException e) {
                // The pty was closed under us (PtyShell.close): that is the end of the output.
              }
            },
            "screen-reader");
    reader.setDaemon(true);
    reader.start();
  }

  String text() {
    synchronized (textLocked) {
      return textLocked.toString();
    }
  }

  /** Waits until {@code regex} matches what has been shown; returns its first group. */
  String await(String regex) {
    Pattern p = Pattern.compile(regex);
    String[] group = new String[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .alias("terminal output matching " + regex)
        .until(
            () -> {
              Matcher m = p.matcher(text());
              if (!m.find()) {
                return false;
              }
              group[0] = m.groupCount() > 0 ? m.group(1) : m.group();
              return true;
            });
    return group[0];
  }

  void awaitEnd() throws InterruptedException {
    reader.join(Duration.ofSeconds(30).toMillis());
  }
}
