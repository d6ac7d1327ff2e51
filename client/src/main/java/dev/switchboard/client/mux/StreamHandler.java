package dev.switchboard.client.mux;

import java.io.IOException;

/** Serves one accepted stream on the target: a TCP connection, a process, a pseudo-terminal. */
public interface StreamHandler {
  /**
   * Serves {@code stream} until both directions have ended, on the stream's own thread. The session
   * resets the stream if this returns or throws with a direction still open.
   */
  void serve(MuxStream stream) throws IOException;

  /**
   * The controller's terminal is now {@code cols} x {@code rows} (RESIZE). Called on the session's
   * reader thread, so it must not block; the default ignores it (a TCP service has no terminal).
   */
  default void resized(int cols, int rows) {}
}
