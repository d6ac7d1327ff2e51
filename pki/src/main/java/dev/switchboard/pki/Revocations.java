package dev.switchboard.pki;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * A certificate revocation list whose signature was checked against a trusted CA; immutable and
 * safe to share between threads.
 */
public final class Revocations {
  private final X509CRL crl;

  private Revocations(X509CRL crl) {
    this.crl = crl;
  }

  /**
   * Loads a PEM CRL and verifies it was signed by one of {@code trusted}.
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws CredentialException if it holds no CRL or one no trusted CA signed
   */
  public static Revocations load(Path file, List<X509Certificate> trusted) throws IOException {
    X509CRL crl = read(file);
    for (X509Certificate ca : trusted) {
      if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      try {
        crl.verify(ca.getPublicKey());
        return new Revocations(crl);
      } catch (GeneralSecurityException e) {
        // another root with the same name (during a CA rotation) may have signed it
      }
    }
    throw new CredentialException(
        "the revocation list in "
            + file
            + " is not signed by the CA (issuer "
            + crl.getIssuerX500Principal().getName()
            + "); refusing it");
  }

  /** The CRL in a PEM file, unverified; null-free. */
  static X509CRL read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CRLHolder) {
          return new JcaX509CRLConverter().getCRL((X509CRLHolder) o);
        }
      }
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | CRLException | RuntimeException e) {
      throw new CredentialException(
          "cannot read the revocation list in " + file + ": " + e.getMessage(), e);
    }
    throw new CredentialException(
        "no revocation list in " + file + " (expected a PEM '-----BEGIN X509 CRL-----' block)");
  }

  /** Whether {@code cert} was issued by this list's CA and its serial is listed. */
  public boolean isRevoked(X509Certificate cert) {
    return cert.getIssuerX500Principal().equals(crl.getIssuerX500Principal())
        && crl.getRevokedCertificate(cert.getSerialNumber()) != null;
  }

  /** Whether a certificate with this serial is listed. */
  public boolean isRevoked(BigInteger serial) {
    return crl.getRevokedCertificate(serial) != null;
  }

  /** How many certificates are listed. */
  public int size() {
    Collection<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
    return entries == null ? 0 : entries.size();
  }

  public X509CRL crl() {
    return crl;
  }
}
