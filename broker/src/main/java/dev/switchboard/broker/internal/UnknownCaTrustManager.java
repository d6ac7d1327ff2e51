package dev.switchboard.broker.internal;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client-certificate checks for BoringSSL that name a chain to no trusted CA as such: netty maps an
 * untyped failure to X509_V_ERR_UNSPECIFIED, which BoringSSL answers with {@code internal_error};
 * X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY makes it send {@code unknown_ca} (alert 48).
 */
final class UnknownCaTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;

  private UnknownCaTrustManager(X509ExtendedTrustManager pkix) {
    this.pkix = pkix;
  }

  static TrustManager wrap(TrustManagerFactory factory) {
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return new UnknownCaTrustManager(x);
      }
    }
    throw new IllegalStateException("no X509 trust manager in " + factory.getAlgorithm());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw translate(e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw translate(e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      throw translate(e);
    }
  }

  /** PKIX says "no trust anchor" by validating or by building a path; the rest pass as is. */
  private static CertificateException translate(CertificateException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException v
              && v.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
        OpenSslCertificateException unknownCa =
            new OpenSslCertificateException(
                "the certificate was not issued by this broker's CA",
                CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
        unknownCa.initCause(e);
        return unknownCa;
      }
    }
    return e;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
