package dev.switchboard.client.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client's BoringSSL socket against the JDK's TLS 1.3 server, as a broker would answer. */
class EngineSocketTest {
  private static final CertificateAuthority CA = CertificateAuthority.inMemory();
  private static TlsMaterial client;
  private static TlsMaterial server;

  @BeforeAll
  static void identities() {
    assumeTrue(ClientTls.openSsl(), "BoringSSL (netty-tcnative) does not load on this platform");
    client = TlsMaterial.of(CA.certificate(), CA.issue(Role.CONTROLLER, "alice"));
    server =
        TlsMaterial.of(
            CA.certificate(),
            CA.issue(
                Role.BROKER,
                "b1",
                List.of("broker-1.example"),
                List.of("127.0.0.1"),
                CertificateAuthority.DEFAULT_BROKER_VALIDITY));
  }

  @Test
  void bytesBothWaysArriveWholeThroughBoringSsl() throws Exception {
    byte[] up = random(5 * 1024 * 1024 + 17, 1);
    byte[] down = random(3 * 1024 * 1024 + 5, 2);
    try (SSLServerSocket listener = listen()) {
      CompletableFuture<byte[]> serverSide =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  CompletableFuture<Void> send =
                      CompletableFuture.runAsync(
                          () -> {
                            try {
                              s.getOutputStream().write(down);
                              s.getOutputStream().flush();
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                          });
                  byte[] got = s.getInputStream().readNBytes(up.length);
                  send.get(30, TimeUnit.SECONDS);
                  return got;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (EngineSocket tls = connect(listener, "broker-1.example")) {
        CompletableFuture<byte[]> received =
            CompletableFuture.supplyAsync( // reads of 64 KiB: decrypted straight into the array
                () -> readAll(tls.getInputStream(), down.length, 64 * 1024));
        OutputStream out = tls.getOutputStream();
        for (int at = 0; at < up.length; at += 7000) { // writes that straddle records
          out.write(up, at, Math.min(7000, up.length - at));
        }
        out.flush();
        assertThat(digest(serverSide.get(30, TimeUnit.SECONDS))).isEqualTo(digest(up));
        assertThat(digest(received.get(30, TimeUnit.SECONDS))).isEqualTo(digest(down));
      }
    }
  }

  @Test
  void aCertificateThatDoesNotNameTheHostIsRefusedSayingWhy() throws Exception {
    try (SSLServerSocket listener = listen()) {
      CompletableFuture.runAsync(
          () -> {
            try (Socket s = listener.accept()) {
              ((SSLSocket) s).startHandshake();
            } catch (Exception expected) {
              // the client gives up
            }
          });
      assertThatThrownBy(() -> connect(listener, "broker-2.example").close())
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("broker-2.example");
    }
  }

  @Test
  void thePeersCloseEndsTheStreamAndClosingTwiceIsHarmless() throws Exception {
    try (SSLServerSocket listener = listen()) {
      CompletableFuture.runAsync(
          () -> {
            try (Socket s = listener.accept()) {
              s.getOutputStream().write(new byte[] {1, 2, 3});
              s.getOutputStream().flush();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      EngineSocket tls = connect(listener, "broker-1.example");
      assertThat(readAll(tls.getInputStream(), Integer.MAX_VALUE, 10_000)).containsExactly(1, 2, 3);
      tls.close();
      tls.close();
      assertThat(tls.isClosed()).isTrue();
    }
  }

  private static SSLServerSocket listen() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        server.keyManagerFactory().getKeyManagers(),
        server.trustManagerFactory().getTrustManagers(),
        null);
    SSLServerSocket s =
        (SSLServerSocket)
            ctx.getServerSocketFactory().createServerSocket(0, 4, InetAddress.getLoopbackAddress());
    s.setNeedClientAuth(true);
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    return s;
  }

  private static EngineSocket connect(SSLServerSocket listener, String host) throws Exception {
    Socket raw = new Socket();
    raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
    EngineSocket tls =
        new EngineSocket(
            raw, raw.getInputStream(), ClientTls.engine(client, host, listener.getLocalPort()));
    try {
      tls.setSoTimeout(10_000);
      tls.startHandshake();
      return tls;
    } catch (Exception e) {
      tls.close();
      throw e;
    }
  }

  private static byte[] readAll(InputStream in, int max, int readSize) {
    try {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[readSize];
      int n;
      while (got.size() < max && (n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
      }
      return got.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String digest(byte[] b) throws Exception {
    return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
