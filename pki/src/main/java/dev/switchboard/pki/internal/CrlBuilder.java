package dev.switchboard.pki.internal;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds and signs X.509 v2 CRLs (RFC 5280 section 5) for the root CA. */
public final class CrlBuilder {
  private CrlBuilder() {}

  /**
   * A CRL listing every entry of {@code previous} (may be null) plus {@code serial}, numbered one
   * higher than {@code previous}.
   */
  public static X509CRL withEntry(
      X509CRL previous,
      BigInteger serial,
      int reason,
      X509Certificate caCert,
      PrivateKey caKey,
      Instant now,
      Instant nextUpdate) {
    try {
      X509v2CRLBuilder b = new JcaX509v2CRLBuilder(caCert, Date.from(now));
      b.setNextUpdate(Date.from(nextUpdate));
      BigInteger number = BigInteger.ONE;
      if (previous != null) {
        if (previous.getRevokedCertificates() != null) {
          for (X509CRLEntry e : previous.getRevokedCertificates()) {
            if (!e.getSerialNumber().equals(serial)) {
              int r = e.getRevocationReason() != null ? e.getRevocationReason().ordinal() : 0;
              b.addCRLEntry(e.getSerialNumber(), e.getRevocationDate(), r);
            }
          }
        }
        number = number.add(crlNumber(previous));
      }
      b.addCRLEntry(serial, Date.from(now), reason);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          utils.createAuthorityKeyIdentifier(caCert.getPublicKey()));
      b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(number));
      var signer =
          new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(caKey.getAlgorithm()))
              .build(caKey);
      return new JcaX509CRLConverter().getCRL(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the revocation list", e);
    }
  }

  /** Checks that {@code reason} is an RFC 5280 CRLReason code. */
  public static int checkReason(int reason) {
    if (reason < CRLReason.unspecified
        || reason > CRLReason.aACompromise
        || reason == 7) { // 7 is unused in RFC 5280
      throw new IllegalArgumentException("not a CRL reason code: " + reason);
    }
    return reason;
  }

  private static BigInteger crlNumber(X509CRL crl) throws CRLException {
    byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
    if (ext == null) {
      return BigInteger.ZERO;
    }
    try {
      return org.bouncycastle.asn1.x509.CRLNumber.getInstance(
              org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets())
          .getCRLNumber();
    } catch (RuntimeException e) {
      throw new CRLException("unreadable CRL number", e);
    }
  }
}
