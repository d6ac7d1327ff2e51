package dev.switchboard.client.mux;

import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;

/**
 * One stream inside a session. {@link #input()} ends (-1) when the peer half-closes (FIN) and
 * throws a {@link dev.switchboard.client.RefusedException} with the reason when the stream is reset
 * or the session ends abnormally; closing {@link #output()} half-closes. Writes block while the
 * peer's window for this stream is used up, never longer than the stream's own reader lags.
 */
public interface MuxStream {
  /** The stream id on the wire (odd, chosen by the controller). */
  int id();

  /** The service the controller asked for: "" (the default), "tcp:HOST:PORT" or "shell". */
  String service();

  InputStream input();

  OutputStream output();

  /** Aborts the stream both ways; the peer's reads fail with {@code code} and the sentence. */
  void reset(ErrorCode code, String message);

  /** Controller side: the terminal of a "shell" stream is now {@code cols} x {@code rows}. */
  void resize(int cols, int rows) throws IOException;

  /** Target side: the stream's process ended with {@code status} (sent before the FIN). */
  void exit(int status) throws IOException;

  /** Controller side: the status the target reported with EXIT, if any yet. */
  OptionalInt exitStatus();
}
