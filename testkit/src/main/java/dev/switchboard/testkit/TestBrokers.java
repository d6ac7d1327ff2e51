package dev.switchboard.testkit;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;

/** Starts brokers on loopback with ephemeral ports from a {@link TestPki}. */
public final class TestBrokers {
  private TestBrokers() {}

  /** A config for a single broker on 127.0.0.1 with free ports and documented defaults. */
  public static BrokerConfig config(TestPki pki, String id) throws IOException {
    pki.broker(id);
    return BrokerConfig.defaults(
        id,
        "localhost",
        new HostPort("127.0.0.1", 0),
        new HostPort("127.0.0.1", 0),
        pki.caFile(),
        pki.certFile(id),
        pki.keyFile(id));
  }

  public static Broker start(TestPki pki, BrokerConfig config, Clock clock) throws IOException {
    return start(config, clock);
  }

  /** Starts a broker with the credentials its config names. */
  public static Broker start(BrokerConfig config, Clock clock) throws IOException {
    return Broker.start(
        config, TlsMaterial.load(config.caFile(), config.certFile(), config.keyFile()), clock);
  }

  /** How a client on this machine reaches the broker (hostname localhost, verified by the cert). */
  public static BrokerEndpoint endpoint(Broker b) {
    return new BrokerEndpoint(
        b.id(), "localhost", new InetSocketAddress("127.0.0.1", b.clientPort()));
  }
}
