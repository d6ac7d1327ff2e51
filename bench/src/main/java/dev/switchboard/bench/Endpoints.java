package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The two ends of one connection under test, seen as plain streams: the controller's and the
 * target's. Closing ends the connection (a direct TLS socket pair or a relayed session).
 */
record Endpoints(
    InputStream controllerIn,
    OutputStream controllerOut,
    InputStream targetIn,
    OutputStream targetOut,
    String cipherSuite,
    Closer closer)
    implements AutoCloseable {

  interface Closer {
    void close() throws IOException;
  }

  @Override
  public void close() throws IOException {
    closer.close();
  }
}
