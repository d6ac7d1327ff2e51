package dev.switchboard.client.mux;

import dev.switchboard.client.internal.mux.Pump;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** Connects a stream to local byte streams both ways, half-close propagated each way. */
public final class MuxBridges {
  private MuxBridges() {}

  /**
   * Bridges {@code local} until both directions have ended, then closes it. Returns null when the
   * stream ended cleanly both ways, else why not (a {@link dev.switchboard.client.RefusedException}
   * for a reset stream or an ended session).
   */
  public static IOException socket(MuxStream s, Socket local) throws IOException {
    try (local) {
      return Pump.run(s, Pump.socket(local), true);
    }
  }

  /**
   * Bridges this process's stdin/stdout (or a command's). After a failure it returns without
   * waiting for {@code localIn}, which may be a terminal that never ends.
   */
  public static IOException streams(MuxStream s, InputStream localIn, OutputStream localOut)
      throws IOException {
    return Pump.run(
        s,
        new Pump.Local() {
          @Override
          public InputStream in() {
            return localIn;
          }

          @Override
          public OutputStream out() {
            return localOut;
          }

          @Override
          public void endOutput() throws IOException {
            localOut.close();
          }

          @Override
          public void abort() {
            try {
              localOut.close();
            } catch (IOException e) {
              // closed already
            }
          }
        },
        false);
  }
}
