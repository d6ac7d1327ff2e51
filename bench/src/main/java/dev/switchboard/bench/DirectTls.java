package dev.switchboard.bench;

import dev.switchboard.client.ClientOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A direct TLS 1.3 connection from the controller to the target, with the same certificates,
 * JDK provider and socket options as their connections to a broker: the baseline a relayed
 * session is compared with.
 */
final class DirectTls implements AutoCloseable {
  private final SSLServerSocket server;
  private final SSLContext controller;

  private DirectTls(SSLServerSocket server, SSLContext controller) {
    this.server = server;
    this.controller = controller;
  }

  /** The target listens on a free loopback port and requires the controller's certificate. */
  static DirectTls listen(ClientOptions controller, ClientOptions target) throws IOException {
    SSLServerSocket s = (SSLServerSocket) target.sslContext().getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    p.setNeedClientAuth(true);
    s.setSSLParameters(p);
    return new DirectTls(s, controllerContext(controller));
  }

  /**
   * The controller's usual context, except that it checks the target's certificate as a client
   * certificate: target certificates carry only the clientAuth key usage, which the JDK refuses
   * from a server. The chain, CA and signature checks are the same.
   */
  private static SSLContext controllerContext(ClientOptions controller) throws IOException {
    try {
      X509TrustManager pkix = (X509TrustManager) controller.tls().trustManagerFactory().getTrustManagers()[0];
      X509TrustManager asClient = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return pkix.getAcceptedIssuers();
        }
      };
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(controller.tls().keyManagerFactory().getKeyManagers(), new TrustManager[] {asClient}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build the direct TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * Connects the controller to the target and completes both handshakes.
   *
   * @param cipherSuite the one suite to offer (to match what the broker negotiates), or null for
   *     the JDK's default preference
   */
  Endpoints connect(String cipherSuite) throws IOException {
    CompletableFuture<SSLSocket> accepted = dev.switchboard.testkit.Blocking.supply(() -> {
      try {
        SSLSocket t = (SSLSocket) server.accept();
        t.setTcpNoDelay(true);
        t.startHandshake();
        return t;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Socket raw = new Socket();
    raw.setTcpNoDelay(true);
    raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
    SSLSocket c = (SSLSocket) controller.getSocketFactory()
        .createSocket(raw, "localhost", server.getLocalPort(), true);
    SSLParameters p = c.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    if (cipherSuite != null) {
      p.setCipherSuites(new String[] {cipherSuite});
    }
    c.setSSLParameters(p); // no hostname check: the target's certificate names a person, not a host
    c.startHandshake();
    SSLSocket t = accepted.join();
    return new Endpoints(c.getInputStream(), c.getOutputStream(), t.getInputStream(), t.getOutputStream(),
        c.getSession().getCipherSuite(), () -> {
          c.close();
          t.close();
        });
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
