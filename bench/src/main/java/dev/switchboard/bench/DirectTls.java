package dev.switchboard.bench;

import dev.switchboard.client.BatchingSocket;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.ClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A direct TLS 1.3 connection from the controller to the target, with the same certificates, JDK
 * provider and socket options as their connections to a broker: the baseline a relayed session is
 * compared with.
 */
final class DirectTls implements AutoCloseable {
  private final ServerSocket server;
  private final SSLContext targetContext;
  private final SSLContext controller;

  private DirectTls(ServerSocket server, SSLContext targetContext, SSLContext controller) {
    this.server = server;
    this.targetContext = targetContext;
    this.controller = controller;
  }

  /**
   * The target listens on a free loopback port and requires the controller's certificate. Both ends
   * run TLS over a {@link BatchingSocket}, as the client API does toward a broker, so the two modes
   * differ only in the broker.
   */
  static DirectTls listen(ClientOptions controller, ClientOptions target) throws IOException {
    ServerSocket s =
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()) {
          @Override
          public Socket accept() throws IOException {
            BatchingSocket b = new BatchingSocket();
            implAccept(b);
            return b;
          }
        };
    return new DirectTls(s, target.sslContext(), controllerContext(controller));
  }

  /**
   * The controller's usual context, except that it checks the target's certificate as a client
   * certificate: target certificates carry only the clientAuth key usage, which the JDK refuses
   * from a server. The chain, CA and signature checks are the same.
   */
  private static SSLContext controllerContext(ClientOptions controller) throws IOException {
    try {
      X509TrustManager pkix =
          (X509TrustManager) controller.tls().trustManagerFactory().getTrustManagers()[0];
      X509TrustManager asClient =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
              pkix.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
              pkix.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return pkix.getAcceptedIssuers();
            }
          };
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(
          controller.tls().keyManagerFactory().getKeyManagers(),
          new TrustManager[] {asClient},
          null);
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
    CompletableFuture<BatchingSocket> targetRaw = new CompletableFuture<>();
    CompletableFuture<SSLSocket> accepted =
        Blocking.supply(
            () -> {
              try {
                BatchingSocket raw = (BatchingSocket) server.accept();
                raw.setTcpNoDelay(true);
                SSLSocket t =
                    (SSLSocket) targetContext.getSocketFactory().createSocket(raw, null, true);
                SSLParameters tp = t.getSSLParameters();
                tp.setProtocols(new String[] {"TLSv1.3"});
                tp.setNeedClientAuth(true);
                t.setSSLParameters(tp);
                t.startHandshake();
                targetRaw.complete(raw);
                return t;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    BatchingSocket raw = new BatchingSocket();
    raw.setTcpNoDelay(true);
    raw.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
    SSLSocket c =
        (SSLSocket)
            controller
                .getSocketFactory()
                .createSocket(raw, "localhost", server.getLocalPort(), true);
    SSLParameters p = c.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    if (cipherSuite != null) {
      p.setCipherSuites(new String[] {cipherSuite});
    }
    c.setSSLParameters(p); // no hostname check: the target's certificate names a person, not a host
    c.startHandshake();
    SSLSocket t = accepted.join();
    return new Endpoints(
        c.getInputStream(),
        BatchingSocket.batchedWrites(c.getOutputStream(), raw),
        t.getInputStream(),
        BatchingSocket.batchedWrites(t.getOutputStream(), targetRaw.join()),
        c.getSession().getCipherSuite(),
        () -> {
          c.close();
          t.close();
        });
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
