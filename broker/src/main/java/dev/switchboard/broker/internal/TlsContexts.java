package dev.switchboard.broker.internal;

import dev.switchboard.pki.TlsMaterial;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/** The broker's TLS 1.3 contexts: client-facing and mesh server (mutual auth), mesh client. */
public final class TlsContexts {
  private TlsContexts() {}

  /** Server side: TLS 1.3 only, a client certificate from our CA is required. */
  public static SslContext server(TlsMaterial tls) throws SSLException {
    return SslContextBuilder.forServer(tls.keyManagerFactory())
        .trustManager(tls.trustManagerFactory())
        .clientAuth(ClientAuth.REQUIRE)
        .protocols("TLSv1.3")
        .sslProvider(SslProvider.JDK)
        .build();
  }

  /** Mesh client side: TLS 1.3, presents the broker's certificate, trusts only our CA. */
  public static SslContext meshClient(TlsMaterial tls) throws SSLException {
    return SslContextBuilder.forClient()
        .keyManager(tls.keyManagerFactory())
        .trustManager(tls.trustManagerFactory())
        .protocols("TLSv1.3")
        .sslProvider(SslProvider.JDK)
        .endpointIdentificationAlgorithm(null)
        .build();
  }
}
