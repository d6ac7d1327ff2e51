package dev.switchboard.testkit;

import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.HostPort;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.internal.Transports;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Resolver;
import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.topology.Topology;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A whole topology on loopback: a fresh PKI, every broker with its mesh, and for every region a
 * point of presence with a delaying relay per broker (client and mesh ports), so a client in
 * region R reaching broker B sees the round trip the topology gives between R and B's region.
 */
public final class LocalTopology implements AutoCloseable {
  private final Topology topology;
  private final Path dir;
  private final boolean ephemeral;
  private final CertificateAuthority ca;
  private final EventLoopGroup relayGroup = Transports.group(1);
  private final Map<String, Broker> brokers = new ConcurrentHashMap<>();
  private final Map<String, BrokerConfig> configs = new LinkedHashMap<>();
  private final Map<String, DelayRelay> clientRelays = new LinkedHashMap<>(); // "region/broker"
  private final Map<String, DelayRelay> meshRelays = new LinkedHashMap<>();

  private LocalTopology(Topology topology, Path dir, boolean ephemeral) throws IOException {
    this.topology = topology;
    this.dir = dir;
    this.ephemeral = ephemeral;
    this.ca = CertificateAuthority.init(dir.resolve("pki"));
  }

  /**
   * Starts everything. With {@code ephemeral} every port is chosen by the kernel (tests, demo);
   * otherwise the topology's addresses and ports are used (a person can type them).
   */
  public static LocalTopology start(Topology topology, Path dir, boolean ephemeral) throws IOException {
    Files.createDirectories(dir);
    LocalTopology t = new LocalTopology(topology, dir, ephemeral);
    try {
      t.startRelays();
      for (Topology.BrokerSpec b : topology.brokers()) {
        t.configs.put(b.id(), t.brokerConfig(b));
      }
      for (Topology.BrokerSpec b : topology.brokers()) {
        t.startBroker(b.id());
      }
      t.awaitMesh(Duration.ofSeconds(10));
      return t;
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      t.close();
      throw new IOException("interrupted while starting the topology");
    }
  }

  private void startRelays() throws InterruptedException {
    for (Topology.Region r : topology.regions()) {
      for (Topology.BrokerSpec b : topology.brokers()) {
        String pop = topology.popAddress(r.id(), b);
        long oneWay = topology.rttMs(r.id(), b.region()) / 2;
        clientRelays.put(r.id() + "/" + b.id(), DelayRelay.start(relayGroup, Transports.serverChannel(),
            Transports.channel(), new InetSocketAddress(pop, ephemeral ? 0 : b.clientPort()),
            () -> live(b.id(), true), oneWay));
        meshRelays.put(r.id() + "/" + b.id(), DelayRelay.start(relayGroup, Transports.serverChannel(),
            Transports.channel(), new InetSocketAddress(pop, ephemeral ? 0 : b.meshPort()),
            () -> live(b.id(), false), oneWay));
      }
    }
  }

  private InetSocketAddress live(String brokerId, boolean client) {
    Broker b = brokers.get(brokerId);
    if (b == null) {
      return null;
    }
    return client ? b.clientAddress() : b.meshAddress();
  }

  private BrokerConfig brokerConfig(Topology.BrokerSpec b) throws IOException {
    Path pki = dir.resolve("pki");
    ca.issue(Role.BROKER, b.id(), List.of(b.hostname(), "localhost"), List.of("127.0.0.1", b.address()),
        Duration.ofDays(30)).writeTo(pki.resolve(b.id() + ".pem"), pki.resolve(b.id() + "-key.pem"));
    List<PeerConfig> peers = new ArrayList<>();
    for (Topology.BrokerSpec p : topology.brokers()) {
      if (p.id().equals(b.id())) {
        continue;
      }
      InetSocketAddress mesh = meshRelays.get(b.region() + "/" + p.id()).address();
      peers.add(new PeerConfig(p.id(), p.hostname(), new HostPort(p.hostname(), p.clientPort()),
          new HostPort(mesh.getHostString(), mesh.getPort())));
    }
    int port = ephemeral ? 0 : -1;
    return BrokerConfig.defaults(b.id(), b.hostname(),
            new HostPort(b.address(), port == 0 ? 0 : b.clientPort()),
            new HostPort(b.address(), port == 0 ? 0 : b.adminPort()),
            pki.resolve("ca.pem"), pki.resolve(b.id() + ".pem"), pki.resolve(b.id() + "-key.pem"))
        .withMesh(new HostPort(b.address(), port == 0 ? 0 : b.meshPort()), null, peers);
  }

  /** Starts (or restarts) one broker. */
  public Broker startBroker(String id) throws IOException {
    BrokerConfig c = configs.get(id);
    Broker b = Broker.start(c, TlsMaterial.load(c.caFile(), c.certFile(), c.keyFile()), Clock.systemUTC());
    brokers.put(id, b);
    return b;
  }

  /** Stops one broker abruptly (sessions end with BROKER_SHUTDOWN; its POP relays refuse connections). */
  public void stopBroker(String id) {
    Broker b = brokers.remove(id);
    if (b != null) {
      b.close();
    }
  }

  private void awaitMesh(Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      boolean all = brokers.values().stream().allMatch(b -> b.metricsText().lines()
          .filter(l -> l.startsWith("switchboard_mesh_peer_up")).allMatch(l -> l.endsWith(" 1")));
      if (all) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  public Topology topology() {
    return topology;
  }

  public Broker broker(String id) {
    return brokers.get(id);
  }

  public Map<String, Broker> brokers() {
    return Map.copyOf(brokers);
  }

  /** Every broker as a client in {@code region} reaches it: through that region's POP. */
  public List<BrokerEndpoint> endpoints(String region) {
    topology.region(region);
    List<BrokerEndpoint> out = new ArrayList<>();
    for (Topology.BrokerSpec b : topology.brokers()) {
      out.add(new BrokerEndpoint(b.id(), b.hostname(), clientRelays.get(region + "/" + b.id()).address()));
    }
    return out;
  }

  public BrokerEndpoint endpoint(String region, String brokerId) {
    return endpoints(region).stream().filter(e -> e.id().equals(brokerId)).findFirst().orElseThrow();
  }

  /** The per-region "anycast" resolver: a broker hostname maps to its frontend at the client's POP. */
  public Resolver resolver(String region) {
    Map<String, InetSocketAddress> byHost = new LinkedHashMap<>();
    for (BrokerEndpoint e : endpoints(region)) {
      byHost.put(e.hostname().toLowerCase(), e.address());
    }
    return (host, port) -> {
      InetSocketAddress a = byHost.get(host.toLowerCase());
      return a != null ? a : new InetSocketAddress(host, port);
    };
  }

  /** Issues (or reissues) a client credential from this topology's CA. */
  public ClientOptions client(Role role, String name) throws IOException {
    Path pki = dir.resolve("pki");
    ca.issue(role, name).writeTo(pki.resolve(name + ".pem"), pki.resolve(name + "-key.pem"));
    return ClientOptions.of(TlsMaterial.load(pki.resolve("ca.pem"), pki.resolve(name + ".pem"), pki.resolve(name + "-key.pem")));
  }

  public Path pkiDir() {
    return dir.resolve("pki");
  }

  @Override
  public void close() {
    for (Broker b : brokers.values()) {
      b.close();
    }
    brokers.clear();
    clientRelays.values().forEach(DelayRelay::close);
    meshRelays.values().forEach(DelayRelay::close);
    relayGroup.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }
}
