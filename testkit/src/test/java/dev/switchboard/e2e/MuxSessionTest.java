package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.RefusedException;
import dev.switchboard.client.mux.MuxSession;
import dev.switchboard.client.mux.MuxStream;
import dev.switchboard.client.mux.StreamHandler;
import dev.switchboard.client.mux.TargetServices;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Many TCP streams in one relayed session (docs/protocol.md "Streams inside a session"). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MuxSessionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  BrokerEndpoint endpoint;
  TestPki pki;
  LoopbackServices echo;
  LoopbackServices sink;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    BrokerConfig cfg = TestBrokers.config(pki, "broker-mux-1");
    Broker broker = started.broker(cfg, Clock.systemUTC());
    endpoint = TestBrokers.endpoint(broker);
    echo = started.register(LoopbackServices.echo());
    sink = started.register(LoopbackServices.sink());
  }

  private SessionHarness connect() throws Exception {
    return SessionHarness.connect(
        pki.controllerOptions("alice"), endpoint, pki.targetOptions("t1"), List.of(endpoint));
  }

  /** A controller and a target serving the echo (default) and the sink. */
  private MuxSession[] muxed(SessionHarness s) {
    MuxSession target =
        MuxSession.target(s.target, TargetServices.tcp(List.of(echo.address(), sink.address())));
    return new MuxSession[] {MuxSession.controller(s.controller), target};
  }

  @Test
  void severalStreamsAtOnceArriveIntact() throws Exception {
    SessionHarness s = connect();
    MuxSession[] m = muxed(s);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      MuxStream toEcho = m[0].open("");
      MuxStream toSink = m[0].open("tcp:" + sink.address());
      long size = (i + 1) * 3L * 1024 * 1024;
      int seed = i;
      all.add(Blocking.supply(() -> echoed(toEcho, size, seed)));
      all.add(Blocking.supply(() -> sunk(toSink, size, 100 + seed)));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    m[0].close();
    assertThat(m[1].awaitEnd()).as("a clean end on the target").isNull();
    assertThat(m[0].awaitEnd()).isNull();
    assertThat(s.controller.endReason()).isNull();
    assertThat(s.target.endReason()).isNull();
  }

  @Test
  void streamsOpenedFromManyThreadsAtOnceAllWork() throws Exception {
    SessionHarness s = connect();
    MuxSession[] m = muxed(s);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int seed = i;
      all.add(
          Blocking.supply(
              () -> {
                try {
                  return echoed(m[0].open(""), 4096, seed);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    assertThat(m[0].hasEnded()).isFalse();
    m[0].close();
    assertThat(m[1].awaitEnd()).isNull();
  }

  @Test
  void aStalledStreamNeverHoldsBackAnother() throws Exception {
    SessionHarness s = connect();
    MuxSession[] m = muxed(s);
    MuxStream stalled = m[0].open("");
    // More than the socket buffers between the target and the echo hold (several MB on loopback).
    long stalledSize = 64L * 1024 * 1024;
    // The echo returns it all, but nobody reads it here: the stream's window fills and stays full.
    CompletableFuture<byte[]> stalledSent = send(stalled.output(), stalledSize, 7, false);
    Awaitility.await().atMost(PATIENCE).until(() -> stalled.input().available() >= 128 * 1024);
    MuxStream busy = m[0].open("tcp:" + sink.address());
    sunk(busy, 100L * 1024 * 1024, 8);
    assertThat(stalledSent).as("the stalled stream's writer is held back").isNotDone();
    assertThat(stalled.input().available()).isLessThanOrEqualTo(256 * 1024);
    // Once read, the stalled stream delivers everything, in order.
    CompletableFuture<byte[]> got = digestAsync(stalled.input());
    byte[] sent = stalledSent.get();
    stalled.output().close();
    assertThat(got.get()).isEqualTo(sent);
    m[0].close();
    assertThat(m[1].awaitEnd()).isNull();
  }

  @Test
  void aServiceOutsideTheAllowListIsRefusedAndTheOthersWork() throws Exception {
    SessionHarness s = connect();
    MuxSession[] m = muxed(s);
    MuxStream first = m[0].open("");
    int unlisted;
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      unlisted = other.getLocalPort();
      assertThatThrownBy(() -> m[0].open("tcp:127.0.0.1:" + unlisted))
          .isInstanceOfSatisfying(
              RefusedException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_NOT_ALLOWED))
          .hasMessageContaining("the target does not offer 'tcp:127.0.0.1:" + unlisted + "'");
    }
    assertThatThrownBy(() -> m[0].open("shell"))
        .hasMessageStartingWith("SERVICE_NOT_ALLOWED: the target does not offer 'shell'");
    assertThat(echoed(first, 1024 * 1024, 3)).isNull();
    assertThat(sunk(m[0].open("tcp:" + sink.address()), 1024 * 1024, 4)).isNull();
    m[0].close();
    assertThat(m[1].awaitEnd()).isNull();
  }

  @Test
  void anUnreachableAllowedServiceRefusesOnlyThatStream() throws Exception {
    SessionHarness s = connect();
    int closed;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = gone.getLocalPort();
    }
    var down = new dev.switchboard.protocol.HostPort("127.0.0.1", closed);
    MuxSession target =
        MuxSession.target(s.target, TargetServices.tcp(List.of(echo.address(), down)));
    MuxSession ctl = MuxSession.controller(s.controller);
    assertThatThrownBy(() -> ctl.open("tcp:" + down))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNREACHABLE))
        .hasMessageContaining("the target cannot connect to 127.0.0.1:" + closed);
    assertThat(echoed(ctl.open(""), 64 * 1024, 5)).isNull();
    ctl.close();
    assertThat(target.awaitEnd()).isNull();
  }

  @Test
  void aShellHandlerGetsResizesAndReportsAnExitStatus() throws Exception {
    SessionHarness s = connect();
    // A fake "shell": reports each terminal size it is told on the stream, then exits with 7.
    BlockingQueue<String> sizes = new LinkedBlockingQueue<>();
    StreamHandler fakeShell =
        new StreamHandler() {
          @Override
          public void serve(MuxStream stream) throws IOException {
            try {
              for (int i = 0; i < 2; i++) {
                stream.output().write(sizes.take().getBytes(StandardCharsets.UTF_8));
              }
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException();
            }
            stream.input().transferTo(OutputStream.nullOutputStream());
            stream.exit(7);
            stream.output().close();
          }

          @Override
          public void resized(int cols, int rows) {
            sizes.add(cols + "x" + rows + "\n");
          }
        };
    MuxSession target =
        MuxSession.target(
            s.target, TargetServices.tcp(List.of(echo.address())).withShell(() -> fakeShell));
    MuxSession ctl = MuxSession.controller(s.controller);
    MuxStream shell = ctl.open("shell");
    shell.resize(120, 40);
    shell.resize(80, 24);
    byte[] first = shell.input().readNBytes(13);
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("120x40\n80x24\n");
    assertThat(shell.exitStatus()).isEmpty();
    shell.output().close();
    assertThat(shell.input().read()).isEqualTo(-1);
    assertThat(shell.exitStatus()).hasValue(7);
    ctl.close();
    assertThat(target.awaitEnd()).isNull();
  }

  @Test
  void aMalformedMuxFrameEndsTheSessionWithProtocolError() throws Exception {
    SessionHarness s = connect();
    MuxSession ctl = MuxSession.controller(s.controller);
    // A target that speaks no mux: type 0x7f is no mux frame type.
    s.target.output().write(new byte[] {0x7f, 0, 0, 0, 1, 0, 0});
    s.target.output().flush();
    RefusedException why = ctl.awaitEnd();
    assertThat(why.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    assertThat(why).hasMessage("PROTOCOL_ERROR: unknown mux frame type 0x7f");
    assertThatThrownBy(() -> s.target.input().readAllBytes())
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
        .hasMessageContaining("unknown mux frame type 0x7f");
    assertThatThrownBy(() -> ctl.open("")).isInstanceOf(IOException.class);
  }

  /** Sends {@code size} bytes through the echo and checks they come back; null when they did. */
  static Void echoed(MuxStream st, long size, int seed) {
    try {
      CompletableFuture<byte[]> got = digestAsync(st.input());
      byte[] sent = send(st.output(), size, seed, true).get();
      assertThat(got.get()).as("echoed stream %d", st.id()).isEqualTo(sent);
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code size} bytes to the sink and checks the digest it answers; null when it matched.
   */
  static Void sunk(MuxStream st, long size, int seed) {
    try {
      byte[] sent = send(st.output(), size, seed, true).get();
      assertThat(st.input().readAllBytes()).as("sink digest on stream %d", st.id()).isEqualTo(sent);
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code size} seeded random bytes (then FIN if {@code close}); the SHA-256 of them. */
  static CompletableFuture<byte[]> send(OutputStream out, long size, int seed, boolean close) {
    return Blocking.supply(
        () -> {
          try {
            Random r = new Random(seed);
            MessageDigest md = LoopbackServices.sha256();
            byte[] buf = new byte[64 * 1024];
            for (long left = size; left > 0; left -= buf.length) {
              r.nextBytes(buf);
              int n = (int) Math.min(buf.length, left);
              md.update(buf, 0, n);
              out.write(buf, 0, n);
            }
            if (close) {
              out.close();
            }
            return md.digest();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  static CompletableFuture<byte[]> digestAsync(InputStream in) {
    return Blocking.supply(
        () -> {
          try {
            MessageDigest md = LoopbackServices.sha256();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
              md.update(buf, 0, n);
            }
            return md.digest();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
