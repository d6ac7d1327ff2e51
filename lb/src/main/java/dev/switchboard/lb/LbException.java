package dev.switchboard.lb;

/** A refused load balancer operation: a stable {@link #code()} and one sentence saying why. */
public final class LbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Why an operation was refused. The constant's name is the {@code error} string of the admin
   * API's JSON error bodies; {@link #httpStatus()} is the status that goes with it.
   */
  public enum Code {
    /** The request body or config file is not valid JSON/YAML. */
    MALFORMED(400),
    /** A field has a bad value (port out of range, unknown enum, bad address, missing field). */
    INVALID(400),
    /** The named entity (or admin endpoint) does not exist. */
    NOT_FOUND(404),
    /** A rule names a pool that does not exist. */
    UNKNOWN_POOL(400),
    /** A rule names a frontend that does not exist. */
    UNKNOWN_FRONTEND(400),
    /** A rule names a probe that does not exist. */
    UNKNOWN_PROBE(400),
    /** An entity with this name already exists. */
    DUPLICATE_NAME(409),
    /** Another rule already listens on the same frontend, port and protocol. */
    DUPLICATE_RULE(409),
    /** The operating system refused to bind the frontend address and port (TCP or UDP). */
    PORT_IN_USE(409),
    /** The entity is still referenced (a pool, frontend or probe used by a rule). */
    IN_USE(409),
    /** The admin API does not support this HTTP method on this path. */
    METHOD_NOT_ALLOWED(405),
    /** The admin request carries no {@code Authorization: Bearer} header with the lb's token. */
    UNAUTHORIZED(401),
    /** The admin request has a body that is not {@code application/json} (or YAML). */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The admin request's {@code Host} is not a name of this admin API (DNS rebinding). */
    MISDIRECTED(421),
    /** The admin token file cannot be read, is not private, or holds no token. */
    TOKEN_FILE(500),
    /** The load balancer failed in a way it did not expect (a bug; the message says what). */
    INTERNAL(500);

    private final int httpStatus;

    Code(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The admin API's HTTP status for this refusal. */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Code code;

  public LbException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public LbException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
