package dev.switchboard.client.internal.tls;

import dev.switchboard.pki.TlsMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Which TLS implementation a client's broker connections use: BoringSSL (netty-tcnative, the
 * broker's own) when it loads on this platform, the JDK's otherwise. BoringSSL's AES-GCM costs a
 * fraction of the JDK's per byte, and the clients encrypt and decrypt every relayed byte (see
 * docs/benchmarks.md, "Relayed session vs standard-tool chain"). {@code
 * -Dswitchboard.client.tls=jdk} chooses the JDK's.
 */
public final class ClientTls {
  private static final boolean OPENSSL =
      !"jdk".equals(System.getProperty("switchboard.client.tls"))
          && OpenSsl.isAvailable()
          && SslProvider.isTlsv13Supported(SslProvider.OPENSSL);

  /** One context per identity: building one parses the key and certificates. */
  private static final Map<TlsMaterial, SslContext> CONTEXTS = new WeakHashMap<>();

  private ClientTls() {}

  /** True when connections use BoringSSL through {@link EngineSocket}. */
  public static boolean openSsl() {
    return OPENSSL;
  }

  /** "openssl" or "jdk". */
  public static String providerName() {
    return OPENSSL ? "openssl" : "jdk";
  }

  /**
   * A client engine for {@code host}: TLS 1.3 only, presents {@code tls}'s certificate, trusts only
   * its CA, and checks that the broker's certificate names {@code host}.
   */
  public static SSLEngine engine(TlsMaterial tls, String host, int port) throws SSLException {
    SslContext ctx;
    synchronized (CONTEXTS) {
      ctx = CONTEXTS.get(tls);
      if (ctx == null) {
        ctx =
            SslContextBuilder.forClient()
                .keyManager(tls.privateKey(), tls.chain().toArray(new X509Certificate[0]))
                .trustManager(tls.trustManagerFactory())
                .protocols("TLSv1.3")
                .sslProvider(SslProvider.OPENSSL_REFCNT)
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
        CONTEXTS.put(tls, ctx);
      }
    }
    return ctx.newEngine(ByteBufAllocator.DEFAULT, host, port);
  }
}
