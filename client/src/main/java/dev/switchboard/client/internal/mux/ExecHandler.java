package dev.switchboard.client.internal.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A stream bridged to a command's stdin/stdout ({@code sh -c CMD}, one process per stream); its
 * stderr goes to the target's own. The exit status reaches the controller as EXIT before the FIN.
 */
public final class ExecHandler implements StreamHandler {
  private final Process process;

  private ExecHandler(Process process) {
    this.process = process;
  }

  public static ExecHandler start(String command) throws RefusedException {
    try {
      return new ExecHandler(
          new ProcessBuilder("sh", "-c", command)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start());
    } catch (IOException e) {
      throw new RefusedException(
          ErrorCode.SERVICE_UNREACHABLE, "the target cannot run '" + command + "': " + e);
    }
  }

  @Override
  public void serve(MuxStream stream) throws IOException {
    try {
      Pump.run(stream, new ProcessLocal(), true);
    } finally {
      process.destroy();
    }
  }

  private final class ProcessLocal implements Pump.Local {
    @Override
    public InputStream in() {
      return process.getInputStream();
    }

    @Override
    public OutputStream out() {
      return process.getOutputStream();
    }

    @Override
    public void endOutput() throws IOException {
      process.getOutputStream().close();
    }

    @Override
    public void abort() {
      process.destroy();
    }

    @Override
    public void inputEnded(MuxStream s) throws IOException {
      try {
        s.exit(process.waitFor());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the command");
      }
    }
  }
}
