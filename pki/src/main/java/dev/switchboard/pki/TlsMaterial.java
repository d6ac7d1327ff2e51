package dev.switchboard.pki;

import dev.switchboard.pki.internal.KeyPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA to trust plus this node's certificate and key: what brokers and clients build their SSL
 * contexts from; immutable.
 */
public final class TlsMaterial {
  private final X509Certificate ca;
  // Every root in the CA file: during a CA rotation it holds the old and the new root.
  private final List<X509Certificate> roots;
  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final Role role;

  private TlsMaterial(
      List<X509Certificate> roots, List<X509Certificate> chain, PrivateKey key, Role role) {
    this.roots = List.copyOf(roots);
    this.ca = this.roots.get(0);
    this.chain = List.copyOf(chain);
    this.key = key;
    this.role = role;
  }

  /**
   * Loads PEM files: the CA to trust, this node's certificate (leaf first) and its key.
   *
   * @throws java.nio.file.NoSuchFileException naming a missing file
   * @throws CredentialException naming the file that is unparseable, carries no Switchboard role,
   *     was not issued by the CA, or whose key does not match
   */
  public static TlsMaterial load(Path caFile, Path certFile, Path keyFile) throws IOException {
    List<X509Certificate> roots = Pem.readCertificates(caFile);
    List<X509Certificate> chain = Pem.readCertificates(certFile);
    PrivateKey key = Pem.readPrivateKey(keyFile);
    X509Certificate leaf = chain.get(0);
    if (!KeyPairs.matches(key, leaf.getPublicKey())) {
      throw new CredentialException(
          "the private key in " + keyFile + " does not match the certificate in " + certFile);
    }
    if (roots.stream().noneMatch(ca -> signedBy(leaf, ca))) {
      throw new CredentialException(
          "the certificate in " + certFile + " was not issued by the CA in " + caFile);
    }
    Role role =
        Roles.roleOf(leaf)
            .orElseThrow(
                () ->
                    new CredentialException(
                        "the certificate in " + certFile + " has no Switchboard role"));
    return new TlsMaterial(roots, chain, key, role);
  }

  private static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Material from an in-memory credential; does not check that {@code ca} issued it, so tests can
   * build deliberately mismatched peers.
   */
  public static TlsMaterial of(X509Certificate ca, IssuedCredential cred) {
    Objects.requireNonNull(ca, "ca");
    return new TlsMaterial(
        List.of(ca), List.of(cred.certificate()), cred.privateKey(), cred.role());
  }

  /** The first CA certificate in the CA file. */
  public X509Certificate caCertificate() {
    return ca;
  }

  /** Every CA certificate in the CA file; all of them are trusted. */
  public List<X509Certificate> caCertificates() {
    return roots;
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public PrivateKey privateKey() {
    return key;
  }

  /** The certificate followed by any intermediates of the certificate file. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The role of {@link #certificate()}. */
  public Role role() {
    return role;
  }

  /** A fresh PKIX key manager factory holding this certificate and key. */
  public KeyManagerFactory keyManagerFactory() {
    try {
      char[] password = new char[16];
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < password.length; i++) {
        password[i] = (char) ('a' + random.nextInt(26));
      }
      KeyStore ks = emptyKeyStore();
      ks.setKeyEntry("switchboard", key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(ks, password);
      return kmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key manager", e);
    }
  }

  /** A fresh PKIX trust manager factory that trusts only the CA certificates of the CA file. */
  public TrustManagerFactory trustManagerFactory() {
    try {
      KeyStore ks = emptyKeyStore();
      for (int i = 0; i < roots.size(); i++) {
        ks.setCertificateEntry("switchboard-ca-" + i, roots.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ks);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }
}
