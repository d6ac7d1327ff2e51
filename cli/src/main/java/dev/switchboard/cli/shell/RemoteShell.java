package dev.switchboard.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The far end of a shell as {@link ShellBridge} sees it: a terminal's output, its keyboard, its
 * window size and, at the end, the exit status of its command. A session's "shell" stream gives
 * each of these (DATA both ways, RESIZE, EXIT).
 */
public interface RemoteShell {
  /** What the remote terminal shows; ends (returns -1) when the remote command has ended. */
  InputStream output();

  /** Keystrokes for the remote terminal, passed on unchanged (Ctrl-C is the byte 0x03). */
  OutputStream input();

  /**
   * The local window is now {@code cols} x {@code rows}. Called from a signal thread, concurrently
   * with writes to {@link #input()}.
   */
  void resize(int cols, int rows) throws IOException;

  /** The remote command's exit status; called once, after {@link #output()} has ended. */
  int exitStatus() throws IOException, InterruptedException;
}
