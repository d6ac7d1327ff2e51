package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.protocol.ConnectionCodes;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Sockets an attacker builds by hand: bytes before TLS, writes that are never read back. */
final class RawTls {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RawTls() {}

  /** A TCP connection from {@code opts}' bind address, with {@code prefix} sent first. */
  static Socket tcp(ClientOptions opts, BrokerEndpoint b, byte[] prefix) throws IOException {
    Socket raw = new Socket();
    try {
      if (opts.bindAddress() != null) {
        raw.bind(new InetSocketAddress(opts.bindAddress(), 0));
      }
      raw.connect(b.address(), 10_000);
      if (prefix != null) {
        raw.getOutputStream().write(prefix);
        raw.getOutputStream().flush();
      }
      return raw;
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** TLS 1.3 over {@code raw} with the broker's name verified; HELLO sent, its answer not read. */
  static SSLSocket helloOver(Socket raw, ClientOptions opts, BrokerEndpoint b) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            opts.sslContext()
                .getSocketFactory()
                .createSocket(raw, b.hostname(), b.address().getPort(), true);
    SSLParameters p = tls.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    p.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(p);
    tls.setSoTimeout(10_000);
    tls.startHandshake();
    tls.getOutputStream()
        .write(StreamFrames.encode(new Message.Hello(Frames.MIN_VERSION, Frames.VERSION, "atk")));
    return tls;
  }

  /** A well-formed connection code nobody was given (49.5 bits: a guess). */
  static String randomCode() {
    String a = ConnectionCodes.ALPHABET;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < ConnectionCodes.LENGTH; i++) {
      b.append(a.charAt(RANDOM.nextInt(a.length())));
    }
    return b.toString();
  }

  static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
