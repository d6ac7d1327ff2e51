package dev.switchboard.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.broker.Broker;
import dev.switchboard.client.Blocking;
import dev.switchboard.client.BrokerConnection;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Session;
import dev.switchboard.client.SessionEvents;
import dev.switchboard.client.Target;
import dev.switchboard.protocol.Message;
import dev.switchboard.testkit.TestBrokers;
import dev.switchboard.testkit.TestPki;
import dev.switchboard.testkit.TestResources;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waiting client pings its broker every keepalive; when its peer arrives at that moment the PING
 * is already on the wire as the broker starts relaying. Found by bench/chain under load: the
 * session ended 66 ms after it started with "message type 0x3 not allowed while relaying".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeepaliveAtRelayStartTest {
  @TempDir Path dir;
  @RegisterExtension final TestResources started = new TestResources();

  @Test
  void aKeepalivePingThatCrossesTheStartOfRelayingDoesNotEndTheSession() throws Exception {
    TestPki pki = TestPki.create(dir);
    Broker broker = started.broker(TestBrokers.config(pki, "broker-ka-1"), Clock.systemUTC());
    BrokerEndpoint endpoint = TestBrokers.endpoint(broker);
    try (BrokerConnection controller =
        BrokerConnection.open(ClientOptions.of(pki.controller("alice")), endpoint)) {
      controller.send(new Message.CodeRequest());
      Message.Code code = (Message.Code) controller.read();
      CompletableFuture<Session> target =
          Blocking.supply(
              () -> {
                try {
                  return Target.join(
                      ClientOptions.of(pki.target("t1")),
                      List.of(endpoint),
                      code.code(),
                      SessionEvents.NONE);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      while (!(controller.read() instanceof Message.SessionStart)) {
        // PONGs and the like until the session starts
      }
      // The keepalive timer fired just before SESSION_START arrived: PINGs, then the first DATA.
      controller.send(new Message.Ping(0));
      controller.send(new Message.Ping(1));
      controller.send(new Message.Data("hello".getBytes(UTF_8)));

      try (Session t = target.get(30, TimeUnit.SECONDS)) {
        byte[] got = new byte[5];
        new DataInputStream(t.input()).readFully(got);
        assertThat(new String(got, UTF_8)).isEqualTo("hello");
        t.output().write("back".getBytes(UTF_8));
        t.output().flush();
        Message m;
        do {
          m = controller.read(); // the broker's CREDENTIAL and the target's ACKs come first
        } while (!(m instanceof Message.Data));
        assertThat(new String(((Message.Data) m).bytes(), UTF_8)).isEqualTo("back");
      }
    }
  }
}
