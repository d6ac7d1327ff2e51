package dev.switchboard.client.internal.mux;

import dev.switchboard.protocol.ErrorCode;
import java.io.InputStream;
import java.io.OutputStream;

/** The byte stream a mux runs in: a session's, or a plain socket's in tests. */
public interface Transport {
  InputStream input();

  OutputStream output();

  /** Ends the whole session with a reason the peer reports (e.g. {@code PROTOCOL_ERROR}). */
  void abort(ErrorCode code, String message);

  /**
   * Both directions ended cleanly: completes the session (waits, bounded, until the peer confirmed
   * this side's end), so it is over when the mux reports its end.
   */
  default void finish() {}
}
