package dev.switchboard.client;

import dev.switchboard.protocol.ErrorCode;
import java.io.IOException;

/** The broker refused a request or ended the session, with its error code and sentence. */
public final class RefusedException extends IOException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public RefusedException(ErrorCode code, String message) {
    super(code.name() + ": " + message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
