package dev.switchboard.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link ShellBridgeTest} in tmux: this terminal bridged to a bash in a pty of its own, the
 * same wiring a session's "shell" stream gets with the stream in place of the {@link PtyShell}.
 * Exits with the shell's status.
 */
public final class BridgedShellMain {
  private BridgedShellMain() {}

  public static void main(String[] args) throws Exception {
    int status;
    try (LocalTerminal local = LocalTerminal.open();
        PtyShell shell =
            PtyShell.start(
                List.of("bash", "--norc", "--noprofile", "-i"),
                local.cols(),
                local.rows(),
                Map.of("PS1", "remote$ ", "TERM", local.type()))) {
      status = ShellBridge.run(local, remote(shell));
    }
    System.exit(status);
  }

  private static RemoteShell remote(PtyShell shell) {
    return new RemoteShell() {
      @Override
      public InputStream output() {
        return shell.output();
      }

      @Override
      public OutputStream input() {
        return shell.input();
      }

      @Override
      public void resize(int cols, int rows) throws IOException {
        shell.resize(cols, rows);
      }

      @Override
      public int exitStatus() throws InterruptedException {
        return shell.waitFor();
      }
    };
  }
}
