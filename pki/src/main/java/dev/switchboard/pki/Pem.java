package dev.switchboard.pki;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads and writes PEM certificates and unencrypted private keys. */
public final class Pem {
  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /**
   * Every certificate in a PEM file, in file order; other PEM blocks are skipped.
   *
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws CredentialException if it is not PEM or holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder) {
          certs.add(converter.getCertificate((X509CertificateHolder) o));
        }
      }
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new CredentialException(
          "cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new CredentialException(
          "no certificate in " + file + " (expected a PEM '-----BEGIN CERTIFICATE-----' block)");
    }
    return certs;
  }

  /**
   * The first private key in a PEM file: PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY").
   *
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws CredentialException if it holds no usable key, or only an encrypted one
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo) {
          return converter.getPrivateKey((PrivateKeyInfo) o);
        }
        if (o instanceof PEMKeyPair) {
          return converter.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
          throw new CredentialException(
              "the private key in " + file + " is encrypted; Switchboard needs an unencrypted key");
        }
      }
    } catch (NoSuchFileException | CredentialException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CredentialException(
          "cannot read the private key in " + file + ": " + e.getMessage(), e);
    }
    throw new CredentialException(
        "no private key in " + file + " (expected a PEM '-----BEGIN PRIVATE KEY-----' block)");
  }

  /** The certificate as a PEM "CERTIFICATE" block. */
  public static String toPem(X509Certificate c) {
    try {
      return block("CERTIFICATE", c.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode certificate", e);
    }
  }

  /** The revocation list as a PEM "X509 CRL" block (what {@code openssl crl} reads). */
  public static String toPem(X509CRL crl) {
    try {
      return block("X509 CRL", crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalArgumentException("cannot encode the revocation list", e);
    }
  }

  /** The key as an unencrypted PKCS#8 PEM "PRIVATE KEY" block. */
  public static String toPem(PrivateKey k) {
    if (!"PKCS#8".equals(k.getFormat()) || k.getEncoded() == null) {
      throw new IllegalArgumentException("key is not PKCS#8-encodable: " + k.getFormat());
    }
    return block("PRIVATE KEY", k.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
