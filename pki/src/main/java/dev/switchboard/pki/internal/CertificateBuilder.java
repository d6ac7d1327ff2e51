package dev.switchboard.pki.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds and signs the root and leaf certificates; uses the JDK's providers only. */
public final class CertificateBuilder {
  /** Subject of the root CA. */
  public static final X500Principal ROOT_SUBJECT =
      new X500Principal("CN=Switchboard Root CA, O=Switchboard");

  private CertificateBuilder() {}

  /** What goes into a leaf certificate besides its key. */
  public record LeafSpec(
      String name,
      String roleId,
      boolean serverAuth,
      List<String> dnsNames,
      List<String> ipAddresses,
      Instant notBefore,
      Instant notAfter) {}

  /** A self-signed CA certificate: CA:true (critical), keyCertSign|cRLSign, SKI. */
  public static X509Certificate root(
      KeyPair keys, Instant notBefore, Instant notAfter, SecureRandom random) {
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              ROOT_SUBJECT,
              serial(random),
              Date.from(notBefore),
              Date.from(notAfter),
              ROOT_SUBJECT,
              keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(b, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /** A leaf certificate for {@code spec}, signed by the CA. */
  public static X509Certificate leaf(
      LeafSpec spec,
      PublicKey subjectKey,
      X509Certificate caCert,
      PrivateKey caKey,
      SecureRandom random) {
    X500Principal subject =
        new X500Principal("CN=" + spec.name() + ", OU=" + spec.roleId() + ", O=Switchboard");
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              caCert,
              serial(random),
              Date.from(spec.notBefore()),
              Date.from(spec.notAfter()),
              subject,
              subjectKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(spec.serverAuth()));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          utils.createAuthorityKeyIdentifier(caCert.getPublicKey()));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      GeneralNames sans = subjectAltNames(spec);
      if (sans != null) {
        b.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      b.addExtension(RoleExtension.OID, false, RoleExtension.encode(spec.roleId()));
      return sign(b, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the certificate for " + spec.name(), e);
    }
  }

  private static ExtendedKeyUsage extendedKeyUsage(boolean serverAuth) {
    return serverAuth
        ? new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
        : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
  }

  private static GeneralNames subjectAltNames(LeafSpec spec) {
    List<GeneralName> names = new ArrayList<>();
    spec.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
    spec.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    return names.isEmpty() ? null : new GeneralNames(names.toArray(new GeneralName[0]));
  }

  /** A random positive serial of at most 128 bits (RFC 5280 allows up to 20 octets). */
  private static BigInteger serial(SecureRandom random) {
    BigInteger s;
    do {
      s = new BigInteger(128, random);
    } while (s.signum() == 0);
    return s;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws CertificateException {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(key.getAlgorithm())).build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new CertificateException("cannot sign with a " + key.getAlgorithm() + " key", e);
    }
  }
}
