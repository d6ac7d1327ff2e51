package dev.switchboard.lb;

/** A refused load balancer operation: a stable {@link #code()} and one sentence saying why. */
public final class LbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The request body or config file is not valid JSON/YAML. */
  public static final String MALFORMED = "MALFORMED";

  /** A field has a bad value (port out of range, unknown enum, bad address, missing field). */
  public static final String INVALID = "INVALID";

  /** The named entity does not exist. */
  public static final String NOT_FOUND = "NOT_FOUND";

  /** A rule names a pool that does not exist. */
  public static final String UNKNOWN_POOL = "UNKNOWN_POOL";

  /** A rule names a frontend that does not exist. */
  public static final String UNKNOWN_FRONTEND = "UNKNOWN_FRONTEND";

  /** A rule names a probe that does not exist. */
  public static final String UNKNOWN_PROBE = "UNKNOWN_PROBE";

  /** An entity with this name already exists. */
  public static final String DUPLICATE_NAME = "DUPLICATE_NAME";

  /** Another rule already listens on the same frontend, port and protocol. */
  public static final String DUPLICATE_RULE = "DUPLICATE_RULE";

  /** The operating system refused to bind the frontend address and port. */
  public static final String PORT_IN_USE = "PORT_IN_USE";

  /** The entity is still referenced (a pool, frontend or probe used by a rule). */
  public static final String IN_USE = "IN_USE";

  private final String code;

  public LbException(String code, String message) {
    super(message);
    this.code = code;
  }

  public LbException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** One of the constants of this class. */
  public String code() {
    return code;
  }
}
