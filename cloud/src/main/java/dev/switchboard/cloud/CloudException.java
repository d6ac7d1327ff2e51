package dev.switchboard.cloud;

/**
 * A refused or failed provisioning operation: a {@link Kind} the CLI maps to an exit code, and one
 * sentence.
 */
public final class CloudException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Kind {
    /** Bad input: a malformed port, name or option combination. */
    INVALID,
    /** The named resource does not exist. */
    NOT_FOUND,
    /** The resource exists already, or is still in use. */
    CONFLICT,
    /** The current state does not allow it (no selected IP, IP without a load balancer). */
    PRECONDITION,
    /** The provider failed (a process did not start, Azure answered an error). */
    PROVIDER
  }

  private final Kind kind;

  public CloudException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CloudException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static CloudException invalid(String message) {
    return new CloudException(Kind.INVALID, message);
  }

  public static CloudException notFound(String message) {
    return new CloudException(Kind.NOT_FOUND, message);
  }

  public static CloudException conflict(String message) {
    return new CloudException(Kind.CONFLICT, message);
  }

  public static CloudException precondition(String message) {
    return new CloudException(Kind.PRECONDITION, message);
  }

  public static CloudException provider(String message, Throwable cause) {
    return new CloudException(Kind.PROVIDER, message, cause);
  }
}
