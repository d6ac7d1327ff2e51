package dev.switchboard.pki;

import dev.switchboard.pki.internal.SecureFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A leaf certificate and its private key, as issued by a {@link CertificateAuthority}. */
public final class IssuedCredential {
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Role role;
  private final String name;

  IssuedCredential(X509Certificate certificate, PrivateKey privateKey, Role role, String name) {
    this.certificate = Objects.requireNonNull(certificate);
    this.privateKey = Objects.requireNonNull(privateKey);
    this.role = Objects.requireNonNull(role);
    this.name = Objects.requireNonNull(name);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public Role role() {
    return role;
  }

  public String name() {
    return name;
  }

  /**
   * Writes the leaf certificate (PEM, mode 0644) and the PKCS#8 key (PEM, mode 0600), replacing
   * existing files atomically and creating parent directories.
   */
  public void writeTo(Path certFile, Path keyFile) throws IOException {
    SecureFiles.writeReplacing(keyFile, Pem.toPem(privateKey), true);
    SecureFiles.writeReplacing(certFile, Pem.toPem(certificate), false);
  }

  @Override
  public String toString() {
    return "IssuedCredential[" + role.id() + " " + name + "]";
  }
}
