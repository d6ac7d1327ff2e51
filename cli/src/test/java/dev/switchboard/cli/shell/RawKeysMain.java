package dev.switchboard.cli.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link LocalTerminalTest} in tmux: shows the bytes of each read as hex and each window
 * size; "q" ends it normally, "x" throws. Writes its pid to {@code args[0]} first.
 */
public final class RawKeysMain {
  private RawKeysMain() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0]), Long.toString(ProcessHandle.current().pid()));
    try (LocalTerminal terminal = LocalTerminal.open()) {
      PrintStream out = new PrintStream(terminal.output(), true, UTF_8);
      terminal.onResize((cols, rows) -> out.print("size " + cols + "x" + rows + "\r\n"));
      out.print("size " + terminal.cols() + "x" + terminal.rows() + "\r\nready\r\n");
      byte[] buf = new byte[64];
      for (int n; (n = terminal.input().read(buf)) >= 0; ) {
        StringBuilder hex = new StringBuilder("keys");
        for (int i = 0; i < n; i++) {
          hex.append(String.format(" %02x", buf[i]));
        }
        out.print(hex + "\r\n");
        String typed = new String(buf, 0, n, UTF_8);
        if (typed.contains("q")) {
          return;
        }
        if (typed.contains("x")) {
          throw new IllegalStateException("x was typed");
        }
      }
    }
  }
}
