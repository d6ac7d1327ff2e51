package dev.switchboard.client.internal.mux;

import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A stream bridged to a TCP service the target connected to before accepting the stream. */
public final class TcpHandler implements StreamHandler {
  private static final int CONNECT_TIMEOUT_MS = 5000;
  private final Socket socket;

  private TcpHandler(Socket socket) {
    this.socket = socket;
  }

  /** Connects first, so an unreachable service refuses the stream instead of resetting it. */
  public static TcpHandler connect(HostPort to) throws RefusedException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(to.host(), to.port()), CONNECT_TIMEOUT_MS);
      return new TcpHandler(s);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // never connected
      }
      throw new RefusedException(
          ErrorCode.SERVICE_UNREACHABLE,
          "the target cannot connect to " + to + ": " + e.getMessage());
    }
  }

  @Override
  public void serve(MuxStream stream) throws IOException {
    try (socket) {
      Pump.run(stream, Pump.socket(socket), true);
    }
  }
}
