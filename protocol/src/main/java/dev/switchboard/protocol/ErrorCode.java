package dev.switchboard.protocol;

/**
 * Every error and close reason on the wire, with its numeric code and a sentence a user can act on.
 * The numbers are part of the protocol (docs/protocol.md) and never change meaning.
 */
public enum ErrorCode {
  PROTOCOL_ERROR(1, "malformed frame or message"),
  FRAME_TOO_LARGE(2, "frame exceeds the maximum frame size"),
  UNSUPPORTED_VERSION(3, "no protocol version in common"),
  UNEXPECTED_MESSAGE(4, "message not allowed in this state"),
  NOT_READING(5, "the client does not read the broker's replies"),
  TOO_MANY_REFUSALS(6, "too many refused requests on one connection"),
  WRONG_ROLE(10, "certificate role not allowed to do this"),
  CERT_REVOKED(11, "certificate has been revoked; ask the operator for a new one"),
  CODE_UNKNOWN(20, "connection code is unknown"),
  CODE_EXPIRED(21, "connection code has expired"),
  CODE_USED(22, "connection code was already used"),
  RATE_LIMITED(23, "too many failed joins; try again later"),
  CONTROLLER_GONE(24, "the controller that requested this code has disconnected"),
  TICKET_INVALID(30, "ticket is forged or malformed"),
  TICKET_EXPIRED(31, "ticket has expired"),
  TICKET_REPLAYED(32, "ticket was already used"),
  TICKET_WRONG_CONTROLLER(33, "ticket was issued to a different controller"),
  RESUME_INVALID(34, "resumption credential is forged, malformed or not this client's"),
  RESUME_STALE(35, "resumption credential was superseded: the session has moved since"),
  RESUME_EXPIRED(36, "the session could not be resumed within the resume window"),
  HANDSHAKE_TIMEOUT(40, "no complete request within the control timeout"),
  IDLE_TIMEOUT(41, "session idle for longer than the idle timeout"),
  PEER_CLOSED(42, "the other side closed the session"),
  PEER_LOST(43, "the other side's connection was lost"),
  BROKER_SHUTDOWN(44, "the broker is shutting down"),
  SESSION_COMPLETE(45, "both sides finished sending"),
  SERVICE_UNREACHABLE(46, "the target cannot reach the service it bridges to"),
  SERVICE_NOT_ALLOWED(47, "the target does not offer this service"),
  TARGET_DECLINED(48, "the person at the target declined the session"),
  ENDED_BY_OPERATOR(49, "an operator ended the session"),
  OWNER_UNREACHABLE(50, "the broker that issued this code cannot be reached"),
  DRAINING(51, "the broker is draining and accepts no new sessions"),
  SESSION_SUSPENDED(52, "the session's relay was interrupted; both sides resume it"),
  INTERNAL(60, "internal broker error");

  private final int code;
  private final String sentence;

  ErrorCode(int code, String sentence) {
    this.code = code;
    this.sentence = sentence;
  }

  public int code() {
    return code;
  }

  /** A sentence describing the error, suitable for a user. */
  public String sentence() {
    return sentence;
  }

  /** Looks up a wire code; unknown codes map to {@link #INTERNAL} so old clients still report. */
  public static ErrorCode of(int code) {
    for (ErrorCode e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return INTERNAL;
  }
}
