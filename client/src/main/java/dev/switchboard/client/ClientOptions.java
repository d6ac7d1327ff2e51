package dev.switchboard.client;

import dev.switchboard.pki.TlsMaterial;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * A client's identity and timeouts: the TLS 1.3 context built from its certificate, key and CA.
 *
 * @param connectTimeout for TCP connect and for the TLS handshake
 * @param probeSamples pings per broker when measuring latency (the median is used)
 * @param probeTimeout the whole latency measurement gives up on a broker after this long
 * @param keepalive how often a waiting client pings its broker so idle timeouts on the path (load
 *     balancers drop idle flows after 4 minutes by default) never cut it
 * @param bindAddress local address to connect from, or null for the system's choice
 */
public record ClientOptions(
    TlsMaterial tls,
    SSLContext sslContext,
    Duration connectTimeout,
    int probeSamples,
    Duration probeTimeout,
    Duration keepalive,
    InetAddress bindAddress) {

  public static ClientOptions of(TlsMaterial tls) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(
          tls.keyManagerFactory().getKeyManagers(),
          tls.trustManagerFactory().getTrustManagers(),
          null);
      return new ClientOptions(
          tls, ctx, Duration.ofSeconds(5), 5, Duration.ofSeconds(5), Duration.ofSeconds(20), null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS 1.3 context: " + e.getMessage(), e);
    }
  }

  public ClientOptions withProbe(int samples, Duration timeout) {
    return new ClientOptions(
        tls, sslContext, connectTimeout, samples, timeout, keepalive, bindAddress);
  }

  public ClientOptions withConnectTimeout(Duration d) {
    return new ClientOptions(
        tls, sslContext, d, probeSamples, probeTimeout, keepalive, bindAddress);
  }

  public ClientOptions withBindAddress(InetAddress a) {
    return new ClientOptions(
        tls, sslContext, connectTimeout, probeSamples, probeTimeout, keepalive, a);
  }
}
