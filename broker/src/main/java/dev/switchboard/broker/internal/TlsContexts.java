package dev.switchboard.broker.internal;

import dev.switchboard.pki.TlsMaterial;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * The broker's TLS 1.3 contexts: client-facing and mesh server (mutual auth), mesh client.
 * BoringSSL (netty-tcnative) when it loads on this platform, the JDK's TLS otherwise.
 */
public final class TlsContexts {
  private static final SslProvider PROVIDER =
      OpenSsl.isAvailable()
              && SslProvider.isTlsv13Supported(SslProvider.OPENSSL)
              && !Boolean.getBoolean("switchboard.jdkTls")
          ? SslProvider.OPENSSL
          : SslProvider.JDK;

  private TlsContexts() {}

  /** "openssl" or "jdk": which TLS implementation the broker uses. */
  public static String providerName() {
    return PROVIDER == SslProvider.OPENSSL ? "openssl" : "jdk";
  }

  /**
   * Server side: TLS 1.3 only, a client certificate from our CA is required; another CA's gets
   * {@code unknown_ca} with BoringSSL.
   */
  public static SslContext server(TlsMaterial tls) throws SSLException {
    SslContextBuilder b = SslContextBuilder.forServer(tls.keyManagerFactory());
    if (PROVIDER == SslProvider.OPENSSL) {
      b.trustManager(UnknownCaTrustManager.wrap(tls.trustManagerFactory()));
    } else {
      b.trustManager(tls.trustManagerFactory()); // the JDK sends certificate_unknown either way
    }
    return b.clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").sslProvider(PROVIDER).build();
  }

  /** Mesh client side: TLS 1.3, presents the broker's certificate, trusts only our CA. */
  public static SslContext meshClient(TlsMaterial tls) throws SSLException {
    return SslContextBuilder.forClient()
        .keyManager(tls.keyManagerFactory())
        .trustManager(tls.trustManagerFactory())
        .protocols("TLSv1.3")
        .sslProvider(PROVIDER)
        .endpointIdentificationAlgorithm(null)
        .build();
  }
}
