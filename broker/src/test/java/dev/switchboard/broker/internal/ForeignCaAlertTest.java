package dev.switchboard.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client certificate from a CA the broker does not trust is refused with {@code unknown_ca}. */
class ForeignCaAlertTest {
  private final CertificateAuthority ca = CertificateAuthority.inMemory();
  private final CertificateAuthority foreign = CertificateAuthority.inMemory();
  private EventLoopGroup group;
  private Channel server;

  @BeforeEach
  void startServer() throws Exception {
    TlsMaterial broker =
        TlsMaterial.of(
            ca.certificate(),
            ca.issue(
                Role.BROKER,
                "broker-1",
                List.of("localhost"),
                List.of("127.0.0.1"),
                CertificateAuthority.DEFAULT_VALIDITY));
    SslContext ctx = TlsContexts.server(broker);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(ctx.newHandler(ch.alloc()));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close().sync();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
  }

  @Test
  void aCertificateFromAnotherCaGetsUnknownCa() throws Exception {
    // Trusts the broker's CA, presents a certificate the broker's CA never issued.
    TlsMaterial eve = TlsMaterial.of(ca.certificate(), foreign.issue(Role.CONTROLLER, "eve"));
    SSLContext ssl = SSLContext.getInstance("TLSv1.3");
    ssl.init(
        eve.keyManagerFactory().getKeyManagers(),
        eve.trustManagerFactory().getTrustManagers(),
        null);
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      // TLS 1.3: the client's Finished goes out before the server judges its certificate, so
      // the alert may arrive at the first read rather than in startHandshake().
      assertThatThrownBy(
              () -> {
                s.startHandshake();
                s.getInputStream().read();
              })
          .isInstanceOf(SSLException.class)
          .hasMessageContaining(expectedAlert());
    }
  }

  /** BoringSSL gets told which alert; the JDK's TLS always answers a bad client chain with 46. */
  private static String expectedAlert() {
    assertThat(TlsContexts.providerName()).isIn("openssl", "jdk");
    return TlsContexts.providerName().equals("openssl") ? "unknown_ca" : "certificate_unknown";
  }
}
