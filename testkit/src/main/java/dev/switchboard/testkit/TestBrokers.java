package dev.switchboard.testkit;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * The same configs joined into one mesh on 127.0.0.1, each broker listing all the others as
   * peers. Client and mesh ports are picked by the system and released just before the brokers bind
   * them (each broker must know its peers' ports before it starts), so no fixed port is used.
   */
  public static List<BrokerConfig> mesh(List<BrokerConfig> configs) throws IOException {
    List<ServerSocket> reserved = new ArrayList<>();
    List<PeerConfig> peers = new ArrayList<>();
    try {
      for (BrokerConfig c : configs) {
        HostPort client = reserve(reserved);
        peers.add(new PeerConfig(c.id(), c.hostname(), client, reserve(reserved)));
      }
    } finally {
      for (ServerSocket s : reserved) {
        s.close();
      }
    }
    List<BrokerConfig> out = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      PeerConfig self = peers.get(i);
      BrokerConfig c = configs.get(i);
      out.add(c.withClientListen(self.clientAddress()).withMesh(self.meshAddress(), peers));
    }
    return out;
  }

  private static HostPort reserve(List<ServerSocket> reserved) throws IOException {
    ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    reserved.add(s);
    return new HostPort("127.0.0.1", s.getLocalPort());
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
