package dev.switchboard.e2e;

import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.StreamFrames;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A fake mesh peer built from a broker certificate: it accepts one broker's mesh link, answers its
 * pings, hands every CLAIM to the test and sends only the answers the test scripts, when it says.
 */
final class ScriptedMeshPeer implements Closeable {
  private final SSLServerSocket server;
  private final BlockingQueue<Message.Claim> claims = new LinkedBlockingQueue<>();
  private volatile SSLSocket link;

  private ScriptedMeshPeer(SSLServerSocket server) {
    this.server = server;
  }

  /**
   * Listens on 127.0.0.1 with {@code tls} (a broker certificate) and serves links on {@code pool}.
   */
  static ScriptedMeshPeer start(TlsMaterial tls, ExecutorService pool) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        tls.keyManagerFactory().getKeyManagers(),
        tls.trustManagerFactory().getTrustManagers(),
        null);
    SSLServerSocket server =
        (SSLServerSocket)
            ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    ScriptedMeshPeer peer = new ScriptedMeshPeer(server);
    pool.execute(peer::serve);
    return peer;
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getLocalPort());
  }

  /** The next CLAIM the broker sent, waiting up to {@code seconds} for it. */
  Message.Claim nextClaim(long seconds) throws InterruptedException {
    Message.Claim c = claims.poll(seconds, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("the broker sent no CLAIM within " + seconds + " s");
    }
    return c;
  }

  /** Sends {@code m} to the broker over the current link. */
  void send(Message m) throws IOException {
    SSLSocket s = link;
    if (s == null) {
      throw new IOException("no mesh link from the broker");
    }
    OutputStream out = s.getOutputStream();
    synchronized (this) {
      out.write(StreamFrames.encode(m));
      out.flush();
    }
  }

  private void serve() {
    while (!server.isClosed()) {
      try (SSLSocket s = (SSLSocket) server.accept()) {
        link = s;
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        while (true) {
          Message m = StreamFrames.read(in);
          if (m instanceof Message.Claim c) {
            claims.add(c);
          } else if (m instanceof Message.Ping p) {
            send(new Message.Pong(p.nonce()));
          }
        }
      } catch (IOException | ProtocolException e) {
        // The link or the listener closed; accept the broker's reconnect, if any.
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    SSLSocket s = link;
    if (s != null) {
      s.close();
    }
  }
}
