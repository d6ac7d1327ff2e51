package dev.switchboard.pki;

import java.io.IOException;

/**
 * A certificate, key or CA file that exists but cannot be used: unparseable, of the wrong kind, or
 * inconsistent with another file; the message names the file.
 */
public final class CredentialException extends IOException {
  private static final long serialVersionUID = 1L;

  public CredentialException(String message) {
    super(message);
  }

  public CredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
