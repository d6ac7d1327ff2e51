package dev.switchboard.broker.internal;

import dev.switchboard.pki.Role;
import dev.switchboard.pki.Roles;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.ResumeCredential;
import dev.switchboard.protocol.ResumeCredential.Side;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * Issues this broker's resumption credentials and verifies anyone's: a credential is accepted when
 * a broker certificate of this deployment's CA (carried in it, so the issuer may be dead) signed
 * it, it is not expired, and the connecting client holds the certificate it was issued to, in the
 * role it was issued for.
 */
final class ResumeCredentials {
  private final BrokerCore core;

  ResumeCredentials(BrokerCore core) {
    this.core = core;
  }

  /** A credential for one side of {@code generation} of a session relayed here. */
  byte[] issue(
      String sessionId,
      Side side,
      int generation,
      byte[] holderFingerprint,
      byte[] peerFingerprint,
      String peerName) {
    byte[] cert;
    try {
      cert = core.tls.certificate().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("own certificate cannot be encoded", e);
    }
    long validMillis =
        core.config.resumeWindow().toMillis() + core.config.credentialRefresh().toMillis();
    ResumeCredential.Body body =
        new ResumeCredential.Body(
            sessionId,
            side,
            generation,
            holderFingerprint,
            peerFingerprint,
            peerName,
            core.config.id(),
            cert,
            core.clock.millis() + validMillis);
    return ResumeCredential.issue(body, core.tls.privateKey()).toBytes();
  }

  /**
   * Checks a presented credential.
   *
   * @throws ProtocolException RESUME_INVALID (forged, malformed, not this client's, wrong role) or
   *     RESUME_EXPIRED, with a sentence
   */
  ResumeCredential verify(byte[] wire, byte[] clientFingerprint, Role clientRole)
      throws ProtocolException {
    ResumeCredential c = ResumeCredential.parse(wire);
    ResumeCredential.Body b = c.body();
    X509Certificate issuer = issuerCertificate(b);
    if (!c.verify(issuer.getPublicKey())) {
      throw invalid("its signature does not match broker " + b.issuer() + "'s certificate");
    }
    if (!c.heldBy(clientFingerprint)) {
      throw invalid("it was issued to another certificate");
    }
    Role wanted = b.side() == Side.CONTROLLER ? Role.CONTROLLER : Role.TARGET;
    if (clientRole != wanted) {
      throw invalid("it is a " + wanted.id() + "'s credential");
    }
    if (core.clock.millis() >= b.expiresAtMillis()) {
      throw new ProtocolException(
          ErrorCode.RESUME_EXPIRED,
          "the credential expired: the session's resume window has passed");
    }
    return c;
  }

  private X509Certificate issuerCertificate(ResumeCredential.Body b) throws ProtocolException {
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(b.issuerCertificate()));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw invalid("its issuer certificate cannot be read");
    }
    if (!signedByOurCa(cert)) {
      throw invalid("its issuer certificate is not from this deployment's CA");
    }
    try {
      cert.checkValidity(new Date(core.clock.millis()));
    } catch (GeneralSecurityException e) {
      throw invalid("its issuer certificate is not valid now");
    }
    if (Roles.roleOf(cert).orElse(null) != Role.BROKER || !Roles.nameOf(cert).equals(b.issuer())) {
      throw invalid("its issuer certificate is not broker " + b.issuer() + "'s");
    }
    if (core.isRevoked(cert)) {
      throw invalid("its issuer's certificate is revoked");
    }
    return cert;
  }

  private boolean signedByOurCa(X509Certificate cert) {
    for (X509Certificate ca : core.tls.caCertificates()) {
      try {
        cert.verify(ca.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // try the next CA certificate (a rollover keeps two)
      }
    }
    return false;
  }

  private static ProtocolException invalid(String why) {
    return new ProtocolException(ErrorCode.RESUME_INVALID, "resumption refused: " + why);
  }
}
