package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Frames;
import dev.switchboard.protocol.Message;
import dev.switchboard.protocol.StreamFrames;
import dev.switchboard.testkit.LegitSession;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An authenticated client that abuses the control phase (floods requests without reading the
 * replies, keeps asking for what it may not have) is cut off, and the broker keeps serving others.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ControlPhaseAbuseTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final long FLOOD = 32L << 20;
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();
  TestPki pki;
  Broker broker;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir);
    BrokerConfig cfg =
        TestBrokers.config(pki, "broker-abuse-1")
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(5));
    broker = started.broker(cfg, Clock.systemUTC());
  }

  @Test
  void whileClientsFloodPingsWithoutReadingASessionWorksAndEachFlooderIsCutOff() throws Exception {
    long before = connectionsOpen();
    // Two flooders, each reconnecting when cut off until the session is done, so the flood runs
    // for the whole check. (One per event loop starves a loaded 2-core test machine of CPU: the
    // flooders' own TLS runs in this JVM.)
    int flooders = 2;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger connected = new AtomicInteger();
    ClientOptions alice = pki.controllerOptions("alice");
    List<CompletableFuture<List<Long>>> attack = new ArrayList<>();
    for (int i = 0; i < flooders; i++) {
      attack.add(Blocking.supply(() -> floodUntil(alice, stop, connected)));
    }
    await("every flooder connected").atMost(PATIENCE).until(() -> connected.get() >= flooders);

    LegitSession.assertWorks(pki, broker);

    stop.set(true);
    List<Long> sent = new ArrayList<>();
    for (CompletableFuture<List<Long>> f : attack) {
      sent.addAll(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(sent)
        .as("the broker stopped reading each flooding connection long before its flood ended")
        .allMatch(n -> n < FLOOD);
    await("every flooding connection is cut off")
        .atMost(PATIENCE)
        .until(() -> cutOff("not_reading") == sent.size());
    await("connections released").atMost(PATIENCE).until(() -> connectionsOpen() == before);
  }

  @Test
  void targetsAskingForCodesAreRefusedAndClosedWhileASessionWorks() throws Exception {
    List<SSLSocket> wrongRole = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        SSLSocket s = rawTls("t9");
        wrongRole.add(s);
        OutputStream out = s.getOutputStream();
        out.write(StreamFrames.encode(new Message.Hello(Frames.VERSION, Frames.VERSION, "raw")));
        out.write(StreamFrames.encode(new Message.CodeRequest()));
      }

      LegitSession.assertWorks(pki, broker);

      for (SSLSocket s : wrongRole) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        assertThat(StreamFrames.read(in)).isInstanceOf(Message.HelloOk.class);
        Message m = StreamFrames.read(in);
        assertThat(((Message.Error) m).code()).isEqualTo(ErrorCode.WRONG_ROLE);
        assertThat(in.read()).as("closed after the refusal").isEqualTo(-1);
      }
    } finally {
      for (SSLSocket s : wrongRole) {
        s.close();
      }
    }
  }

  /**
   * Connects as a controller, sends HELLO and floods PINGs without reading until the broker cuts
   * the connection; again until {@code stop}. Returns the bytes sent on each connection.
   */
  private List<Long> floodUntil(ClientOptions who, AtomicBoolean stop, AtomicInteger connected) {
    List<Long> sent = new ArrayList<>();
    do {
      try (SSLSocket s = rawTls(who)) {
        s.getOutputStream()
            .write(StreamFrames.encode(new Message.Hello(Frames.VERSION, Frames.VERSION, "flood")));
        connected.incrementAndGet();
        sent.add(flood(s, FLOOD));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } while (!stop.get());
    return sent;
  }

  /** Writes PING frames until {@code limit} bytes or until the broker cuts the connection. */
  private static long flood(SSLSocket s, long limit) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    while (chunk.size() < 64 * 1024) {
      chunk.writeBytes(StreamFrames.encode(new Message.Ping(chunk.size())));
    }
    byte[] bytes = chunk.toByteArray();
    long sent = 0;
    try {
      OutputStream out = s.getOutputStream();
      while (sent < limit) {
        out.write(bytes);
        sent += bytes.length;
      }
    } catch (IOException cutOff) {
      // expected: the broker closed the connection under us
    }
    return sent;
  }

  private SSLSocket rawTls(String name) throws IOException {
    return rawTls(name.startsWith("t") ? pki.targetOptions(name) : pki.controllerOptions(name));
  }

  private SSLSocket rawTls(ClientOptions options) throws IOException {
    SSLSocket s =
        (SSLSocket)
            options.sslContext().getSocketFactory().createSocket("127.0.0.1", broker.clientPort());
    SSLParameters p = s.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    s.setSSLParameters(p);
    s.setSoTimeout(20_000);
    s.startHandshake();
    return s;
  }

  private long cutOff(String reason) {
    return (long) metric("switchboard_clients_cut_off_total{", "reason=\"" + reason + "\"");
  }

  private long connectionsOpen() {
    return (long) metric("switchboard_connections_open{", "");
  }

  private double metric(String prefix, String label) {
    return broker
        .metricsText()
        .lines()
        .filter(l -> l.startsWith(prefix) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
