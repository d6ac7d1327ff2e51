package dev.switchboard.protocol;

/** A protocol violation or a refusal, carrying the {@link ErrorCode} to put on the wire. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String detail) {
    super(detail == null || detail.isEmpty() ? code.sentence() : detail);
    this.code = code;
  }

  public ProtocolException(ErrorCode code) {
    this(code, null);
  }

  public ErrorCode code() {
    return code;
  }
}
