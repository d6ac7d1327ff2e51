package dev.switchboard.bench;

import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK TLS 1.3 engine (what the broker's SslHandler uses) encrypting and decrypting one full 16
 * KiB record, with heap or direct (off-heap) buffers: Netty hands the engine direct buffers when
 * reading from an epoll socket, heap ones when the allocator prefers heap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TlsRecordBenchmark {
  static final int RECORD = 16 * 1024;

  @Param({"heap", "direct"})
  String buffers;

  @Param({"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"})
  String suite;

  private SSLEngine sender;
  private SSLEngine receiver;
  private ByteBuffer plain;
  private ByteBuffer wire;
  private ByteBuffer out;

  @Setup
  public void handshake() throws Exception {
    CertificateAuthority ca = CertificateAuthority.inMemory();
    TlsMaterial server =
        TlsMaterial.of(
            ca.certificate(),
            ca.issue(
                Role.BROKER, "broker-jmh", List.of("localhost"), List.of(), Duration.ofDays(1)));
    TlsMaterial client = TlsMaterial.of(ca.certificate(), ca.issue(Role.CONTROLLER, "jmh"));
    sender = context(server).createSSLEngine();
    sender.setUseClientMode(false);
    sender.setNeedClientAuth(true);
    receiver = context(client).createSSLEngine("localhost", 443);
    receiver.setUseClientMode(true);
    receiver.setEnabledCipherSuites(new String[] {suite});
    boolean direct = buffers.equals("direct");
    plain = direct ? ByteBuffer.allocateDirect(RECORD) : ByteBuffer.allocate(RECORD);
    wire = direct ? ByteBuffer.allocateDirect(RECORD + 1024) : ByteBuffer.allocate(RECORD + 1024);
    out = direct ? ByteBuffer.allocateDirect(RECORD + 1024) : ByteBuffer.allocate(RECORD + 1024);
    InMemoryHandshake.run(receiver, sender);
    if (!sender.getSession().getCipherSuite().equals(suite)) {
      throw new IllegalStateException("negotiated " + sender.getSession().getCipherSuite());
    }
  }

  private static SSLContext context(TlsMaterial tls) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(
        tls.keyManagerFactory().getKeyManagers(),
        tls.trustManagerFactory().getTrustManagers(),
        null);
    return ctx;
  }

  /** One op = one 16 KiB record encrypted by the sender and decrypted by the receiver. */
  @Benchmark
  public int wrapAndUnwrap() throws SSLException {
    plain.clear();
    wire.clear();
    SSLEngineResult w = sender.wrap(plain, wire);
    wire.flip();
    out.clear();
    SSLEngineResult u = receiver.unwrap(wire, out);
    if (w.getStatus() != SSLEngineResult.Status.OK || u.getStatus() != SSLEngineResult.Status.OK) {
      throw new IllegalStateException(w + " / " + u);
    }
    return out.position();
  }
}
