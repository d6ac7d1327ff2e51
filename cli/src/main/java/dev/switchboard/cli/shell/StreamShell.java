package dev.switchboard.cli.shell;

import dev.switchboard.client.mux.MuxStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The controller's view of a "shell" stream: the remote terminal for {@link ShellBridge}. */
public final class StreamShell implements RemoteShell {
  private final MuxStream stream;

  public StreamShell(MuxStream stream) {
    this.stream = stream;
  }

  @Override
  public InputStream output() {
    return stream.input();
  }

  @Override
  public OutputStream input() {
    return stream.output();
  }

  @Override
  public void resize(int cols, int rows) throws IOException {
    stream.resize(cols, rows);
  }

  /** The status the target sent with EXIT; 255 if the stream ended without one. */
  @Override
  public int exitStatus() {
    return stream.exitStatus().orElse(255);
  }
}
