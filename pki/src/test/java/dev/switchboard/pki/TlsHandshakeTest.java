package dev.switchboard.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real TLS 1.3 mutual authentication over loopback with plain JDK sockets. */
@Timeout(30)
class TlsHandshakeTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final CertificateAuthority ca = CertificateAuthority.inMemory();
  private final TlsMaterial broker =
      TlsMaterial.of(
          ca.certificate(),
          ca.issue(
              Role.BROKER,
              "broker-1",
              List.of("localhost"),
              List.of("127.0.0.1"),
              Duration.ofDays(1)));

  @AfterEach
  void shutdown() {
    executor.shutdownNow();
  }

  @Test
  void mutualAuthSucceedsWithinOneCa() throws Exception {
    TlsMaterial controller = TlsMaterial.of(ca.certificate(), ca.issue(Role.CONTROLLER, "alice"));

    try (SSLServerSocket server = server(broker)) {
      Future<X509Certificate> seenByServer = executor.submit(() -> acceptEcho(server));
      try (SSLSocket client = client(controller, server.getLocalPort())) {
        client.getOutputStream().write(42);
        client.getOutputStream().flush();
        assertThat(client.getInputStream().read()).isEqualTo(42);
        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        X509Certificate serverCert = (X509Certificate) client.getSession().getPeerCertificates()[0];
        assertThat(Roles.roleOf(serverCert)).contains(Role.BROKER);
      }
      X509Certificate clientCert = seenByServer.get(10, TimeUnit.SECONDS);
      assertThat(Roles.roleOf(clientCert)).contains(Role.CONTROLLER);
      assertThat(Roles.nameOf(clientCert)).isEqualTo("alice");
    }
  }

  @Test
  void serverRejectsAClientCertificateFromAnotherCa() throws Exception {
    CertificateAuthority other = CertificateAuthority.inMemory();
    // The intruder trusts our CA (so it accepts the broker) but holds a cert from another CA.
    TlsMaterial intruder =
        TlsMaterial.of(ca.certificate(), other.issue(Role.CONTROLLER, "mallory"));

    try (SSLServerSocket server = server(broker)) {
      Future<X509Certificate> seenByServer = executor.submit(() -> acceptEcho(server));
      // In TLS 1.3 the client finishes first, so its failure shows up on the first read.
      assertThatThrownBy(
              () -> {
                try (SSLSocket client = client(intruder, server.getLocalPort())) {
                  client.getOutputStream().write(42);
                  client.getOutputStream().flush();
                  if (client.getInputStream().read() < 0) {
                    throw new IOException("closed by server");
                  }
                }
              })
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> seenByServer.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SSLHandshakeException.class);
    }
  }

  private static SSLContext context(TlsMaterial m) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        m.keyManagerFactory().getKeyManagers(), m.trustManagerFactory().getTrustManagers(), null);
    return ctx;
  }

  private static SSLServerSocket server(TlsMaterial m) throws Exception {
    SSLServerSocket s =
        (SSLServerSocket)
            context(m)
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.setNeedClientAuth(true);
    s.setSoTimeout(10_000);
    return s;
  }

  private static SSLSocket client(TlsMaterial m, int port) throws Exception {
    SSLSocket s = (SSLSocket) context(m).getSocketFactory().createSocket("localhost", port);
    s.setSoTimeout(10_000);
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    p.setEndpointIdentificationAlgorithm("HTTPS"); // checks the broker's DNS SAN "localhost"
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }

  /** Accepts one connection, echoes one byte, and returns the client's certificate. */
  private static X509Certificate acceptEcho(SSLServerSocket server) throws IOException {
    try (SSLSocket s = (SSLSocket) server.accept()) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      s.getOutputStream().write(s.getInputStream().read());
      s.getOutputStream().flush();
      return peer;
    }
  }
}
