package dev.switchboard.cli.rc;

import java.io.BufferedReader;
import java.io.Console;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where {@code target --ask} asks: the controlling terminal, not stdin or stdout, which may carry
 * the session's data for {@code --exec}. Tests build one over their own streams.
 */
final class AskTerminal {
  private final BufferedReader in;
  private final PrintWriter out;

  AskTerminal(Reader in, PrintWriter out) {
    this.in = new BufferedReader(in);
    this.out = out;
  }

  AskTerminal(InputStream in, OutputStream out) {
    this(
        new InputStreamReader(in, Charset.defaultCharset()),
        new PrintWriter(new OutputStreamWriter(out, Charset.defaultCharset()), true));
  }

  /** The controlling terminal ({@code /dev/tty}, else the console), or empty if there is none. */
  static Optional<AskTerminal> controlling() {
    try {
      FileInputStream in = new FileInputStream("/dev/tty");
      try {
        return Optional.of(new AskTerminal(in, new FileOutputStream("/dev/tty")));
      } catch (IOException e) {
        in.close();
        throw e;
      }
    } catch (IOException | SecurityException noTty) {
      Console c = System.console();
      return c == null ? Optional.empty() : Optional.of(new AskTerminal(c.reader(), c.writer()));
    }
  }

  void print(String text) {
    out.print(text);
    out.flush();
  }

  /**
   * The next line typed, or null at end of input.
   *
   * @throws TimeoutException when no line came within {@code timeout}; the reading thread is left
   *     blocked (a daemon: the command is about to exit)
   */
  String readLine(Duration timeout) throws IOException, TimeoutException {
    CompletableFuture<String> line = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                line.complete(in.readLine());
              } catch (IOException e) {
                line.completeExceptionally(e);
              }
            },
            "switchboard-ask");
    reader.setDaemon(true);
    reader.start();
    try {
      return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for an answer", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }
}
