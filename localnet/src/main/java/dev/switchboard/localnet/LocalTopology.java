package dev.switchboard.localnet;

import dev.switchboard.broker.AdminSettings;
import dev.switchboard.broker.Broker;
import dev.switchboard.broker.BrokerConfig;
import dev.switchboard.broker.PeerConfig;
import dev.switchboard.broker.Registration;
import dev.switchboard.broker.Transports;
import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.Resolver;
import dev.switchboard.config.Cidr;
import dev.switchboard.lb.BackendHealth;
import dev.switchboard.lb.LoadBalancer;
import dev.switchboard.localnet.internal.LocalBrokers;
import dev.switchboard.pki.CertificateAuthority;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.topology.Topology;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A whole topology on loopback with a fresh PKI. In <b>full-path</b> mode (the default for {@code
 * up} and {@code demo}) a client in region R goes: R's point of presence (the global load balancer,
 * one "anycast" frontend per broker hostname) → backbone (delay = half the R↔X round trip each way)
 * → region X's load balancer → the broker, with PROXY protocol v2 carrying the client's address
 * through both tiers: each tier connects out from its own source address and trusts a header only
 * from the tier before it. In <b>direct</b> mode the POP is a plain delaying relay straight to the
 * broker. Brokers always reach each other through delaying relays (the mesh). Addresses: {@link
 * AddressPlan}.
 *
 * <p>With {@link Options#brokerProcesses} (what {@code up} and {@code demo} use) every broker runs
 * in a JVM of its own, started from a config file in {@code DIR/brokers/}, so one can be killed
 * ({@link #killHard}, or {@code kill -9} of its {@link #pid}) while the rest keeps running;
 * otherwise the brokers run in this JVM and {@link #broker} gives their {@link Broker} objects.
 */
public final class LocalTopology implements AutoCloseable {
  /** How to run it. */
  public record Options(
      boolean fullPath,
      int shift,
      Duration globalProbeInterval,
      Duration regionalProbeInterval,
      Duration leaseTtl,
      boolean brokerProcesses) {
    /** Full path with Azure's 5 s global probe; brokers probed every second, 10 s leases. */
    public static Options fullPath(int shift) {
      return new Options(
          true, shift, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10), false);
    }

    /** Full path with 1 s global probes, for tests and the demo (quicker start and failover). */
    public static Options fastFullPath(int shift) {
      return new Options(
          true, shift, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), false);
    }

    public static Options direct(int shift) {
      return new Options(
          false,
          shift,
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          false);
    }

    public Options withProbes(Duration global, Duration regional) {
      return new Options(fullPath, shift, global, regional, leaseTtl, brokerProcesses);
    }

    /** Every broker in a process of its own ({@code true}) or all of them in this JVM. */
    public Options withBrokerProcesses(boolean processes) {
      return new Options(
          fullPath, shift, globalProbeInterval, regionalProbeInterval, leaseTtl, processes);
    }
  }

  private final Topology topology;
  private final Path dir;
  private final Options opts;
  private final AddressPlan plan;
  private final CertificateAuthority ca;
  private final EventLoopGroup relayGroup = Transports.group(1);
  private final LocalBrokers brokers;
  private final Map<String, BrokerConfig> configs = new LinkedHashMap<>();
  private final List<DelayRelay> relays = new ArrayList<>();
  private final Map<String, InetSocketAddress> meshRelays =
      new LinkedHashMap<>(); // "region/broker"
  private final Map<String, RegionalTier> regional = new ConcurrentHashMap<>();
  private final Map<String, GlobalTier> global = new LinkedHashMap<>();

  private LocalTopology(Topology topology, Path dir, Options opts) throws IOException {
    this.topology = topology;
    this.dir = dir;
    this.opts = opts;
    this.plan = new AddressPlan(topology, opts.shift());
    this.ca = CertificateAuthority.init(dir.resolve("pki"));
    this.brokers = new LocalBrokers(opts.brokerProcesses(), dir);
  }

  /**
   * Starts everything and waits (up to 15 s, with broker processes 30 s + 10 s per broker, plus two
   * global probes) until every mesh link and broker registration is up.
   */
  public static LocalTopology start(Topology topology, Path dir, Options opts) throws IOException {
    Files.createDirectories(dir);
    LocalTopology t = new LocalTopology(topology, dir, opts);
    try {
      t.startMeshRelays();
      if (opts.fullPath()) {
        t.startTiers();
      } else {
        t.startDirectPops();
      }
      for (Topology.BrokerSpec b : topology.brokers()) {
        t.configs.put(b.id(), t.brokerConfig(b));
      }
      for (Topology.BrokerSpec b : topology.brokers()) {
        t.brokers.launch(t.configs.get(b.id())); // processes start side by side
      }
      // A JVM per broker starts in a few seconds alone; a loaded machine stretches that.
      Duration start =
          Duration.ofSeconds(opts.brokerProcesses() ? 30 + 10L * topology.brokers().size() : 15);
      t.awaitReady(start.plus(opts.globalProbeInterval().multipliedBy(2)));
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

  private DelayRelay relay(String ip, int port, Supplier<InetSocketAddress> to, long oneWayMs)
      throws IOException {
    return relay(ip, port, to, oneWayMs, null);
  }

  /** A delaying relay on {@code ip:port}; connects onward from {@code source} unless null. */
  private DelayRelay relay(
      String ip, int port, Supplier<InetSocketAddress> to, long oneWayMs, String source)
      throws IOException {
    try {
      DelayRelay r =
          DelayRelay.start(
              relayGroup,
              Transports.serverChannel(),
              Transports.channel(),
              new InetSocketAddress(ip, port),
              to,
              oneWayMs,
              source == null ? null : InetAddress.getByName(source));
      relays.add(r);
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (Exception e) {
      throw new IOException("cannot listen on " + ip + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private void startMeshRelays() throws IOException {
    for (Topology.Region r : topology.regions()) {
      for (Topology.BrokerSpec b : topology.brokers()) {
        DelayRelay m =
            relay(
                plan.pop(r.id(), b),
                b.meshPort(),
                () -> live(b.id(), false),
                topology.simulation().rttMs(r.id(), b.region()) / 2);
        meshRelays.put(r.id() + "/" + b.id(), m.address());
      }
    }
  }

  private void startDirectPops() throws IOException {
    for (Topology.Region r : topology.regions()) {
      for (Topology.BrokerSpec b : topology.brokers()) {
        relay(
            plan.pop(r.id(), b),
            b.clientPort(),
            () -> live(b.id(), true),
            topology.simulation().rttMs(r.id(), b.region()) / 2);
      }
    }
  }

  private void startTiers() throws IOException {
    for (Topology.Region x : topology.regions()) {
      regional.put(
          x.id(),
          RegionalTier.start(
              topology, plan, x.id(), opts.regionalProbeInterval(), regionalTokenFile(x.id())));
    }
    for (Topology.Region r : topology.regions()) {
      for (Topology.Region x : topology.regions()) {
        long oneWay = topology.simulation().rttMs(r.id(), x.id()) / 2;
        for (Topology.BrokerSpec b : topology.brokers()) {
          String bb = plan.backbone(r.id(), x.id(), b);
          InetSocketAddress fe =
              new InetSocketAddress(plan.regionalFrontend(x.id(), b), b.clientPort());
          InetSocketAddress admin =
              new InetSocketAddress(plan.regionalAdmin(x.id()), AddressPlan.REGIONAL_ADMIN_PORT);
          // The backbone from R's POP keeps the POP's address: the regional lb trusts it.
          String from = plan.popSource(r.id());
          relay(bb, b.clientPort(), () -> regional.containsKey(x.id()) ? fe : null, oneWay, from);
          relay(
              bb,
              AddressPlan.REGIONAL_ADMIN_PORT,
              () -> regional.containsKey(x.id()) ? admin : null,
              oneWay,
              from);
        }
      }
    }
    for (Topology.Region r : topology.regions()) {
      global.put(r.id(), GlobalTier.start(topology, plan, r.id(), opts.globalProbeInterval()));
    }
  }

  private InetSocketAddress live(String brokerId, boolean client) {
    if (!running(brokerId)) {
      return null;
    }
    BrokerConfig c = configs.get(brokerId);
    HostPort a = client ? c.clientListen() : c.meshListen();
    return new InetSocketAddress(a.host(), a.port());
  }

  private BrokerConfig brokerConfig(Topology.BrokerSpec b) throws IOException {
    Path pki = dir.resolve("pki");
    // A broker answers for its own hostname and, as their regional lb's backup, for its region's
    // other brokers' hostnames; never for another region's (docs/pki.md, "Broker names").
    List<String> names = new ArrayList<>();
    names.add(b.hostname());
    siblings(b).forEach(x -> names.add(x.hostname()));
    names.add("localhost");
    ca.issue(Role.BROKER, b.id(), names, List.of("127.0.0.1", plan.broker(b)), Duration.ofDays(30))
        .writeTo(pki.resolve(b.id() + ".pem"), pki.resolve(b.id() + "-key.pem"));
    List<PeerConfig> peers = new ArrayList<>();
    for (Topology.BrokerSpec p : topology.brokers()) {
      if (!p.id().equals(b.id())) {
        InetSocketAddress mesh = meshRelays.get(b.region() + "/" + p.id());
        peers.add(
            new PeerConfig(
                p.id(),
                p.hostname(),
                new HostPort(p.hostname(), p.clientPort()),
                new HostPort(mesh.getHostString(), mesh.getPort())));
      }
    }
    String ip = plan.broker(b);
    BrokerConfig c =
        BrokerConfig.defaults(
                b.id(),
                b.hostname(),
                new HostPort(ip, b.clientPort()),
                new HostPort(ip, b.adminPort()),
                pki.resolve("ca.pem"),
                pki.resolve(b.id() + ".pem"),
                pki.resolve(b.id() + "-key.pem"))
            .withMesh(new HostPort(ip, b.meshPort()), peers)
            .withAdmin(AdminSettings.defaultsIn(dir)); // one token for the topology's brokers
    if (opts.fullPath()) {
      c =
          // Only the region's lb may name a client: it connects from its own source address, and
          // anyone else (127.0.0.1 included) is a direct client under its own address.
          c.withTrustedProxies(
                  List.of(Cidr.parse("trustedProxies", plan.regionalSource(b.region()))))
              .withRegistration(
                  new Registration(
                      new HostPort(plan.regionalAdmin(b.region()), AddressPlan.REGIONAL_ADMIN_PORT),
                      regionalTokenFile(b.region()),
                      List.of(RegionalTier.pool(b), RegionalTier.REGION_POOL),
                      siblings(b).stream().map(RegionalTier::pool).toList(),
                      ip,
                      opts.leaseTtl()));
    }
    return c;
  }

  /** The other brokers of {@code b}'s region, in topology order. */
  private List<Topology.BrokerSpec> siblings(Topology.BrokerSpec b) {
    return topology.brokers().stream()
        .filter(x -> x.region().equals(b.region()) && !x.id().equals(b.id()))
        .toList();
  }

  /**
   * Starts (or restarts) one broker and, in its own process, waits (up to 30 s) until its {@code
   * /healthz} answers.
   */
  public void startBroker(String id) throws IOException {
    brokers.launch(config(id));
    brokers.awaitHealthy(id, Duration.ofSeconds(30));
  }

  /** Where a broker running in its own process writes its log. */
  public Path logFile(String id) {
    return brokers.logFile(id);
  }

  /** Stops one broker: sessions end with BROKER_SHUTDOWN, its lease lapses. */
  public void stopBroker(String id) {
    brokers.stop(id);
  }

  /**
   * Kills one broker's process with SIGKILL, as {@code kill -9} would, and waits until it is gone:
   * no session is ended, no pool left, no peer told; the rest of the topology learns it from
   * refused connections, probes and leases. {@link #startBroker} starts it again.
   *
   * @throws IllegalStateException unless brokers run in processes of their own
   */
  public void killHard(String id) {
    requireProcesses();
    brokers.killHard(id);
  }

  /**
   * The process id of a broker running in its own process.
   *
   * @throws IllegalStateException unless brokers run in processes of their own and this one runs
   */
  public long pid(String id) {
    requireProcesses();
    long pid = brokers.pid(id);
    if (pid < 0) {
      throw new IllegalStateException("broker " + id + " is not running");
    }
    return pid;
  }

  /** Whether brokers run in processes of their own. */
  public boolean brokerProcesses() {
    return opts.brokerProcesses();
  }

  private void requireProcesses() {
    if (!opts.brokerProcesses()) {
      throw new IllegalStateException(
          "the brokers run in this JVM: start the topology with Options.withBrokerProcesses(true)");
    }
  }

  /**
   * Drains one broker: no new sessions, running ones get {@code deadline}, then it leaves its
   * pools.
   */
  public void drainBroker(String id, Duration deadline) {
    brokers.drain(id, deadline);
  }

  /** Stops a region's load balancer (full-path mode). */
  public void stopRegionalLb(String region) {
    RegionalTier r = regional.remove(region);
    if (r != null) {
      r.close();
    }
  }

  /** Starts a region's load balancer again; brokers re-register within a third of their lease. */
  public void startRegionalLb(String region) {
    regional.computeIfAbsent(
        region,
        x ->
            RegionalTier.start(
                topology, plan, x, opts.regionalProbeInterval(), regionalTokenFile(x)));
  }

  /**
   * Waits until every broker's mesh links are up, every broker is registered with its region's load
   * balancer and every POP routes every hostname to its home region.
   *
   * @throws IOException after {@code max}, naming what is still not ready
   */
  public void awaitReady(Duration max) throws IOException, InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    List<String> missing = notReady();
    while (!missing.isEmpty()) {
      brokers.requireRunning(); // a broker that could not start will not become ready
      if (System.nanoTime() >= end) {
        throw new IOException(
            "the local topology is not ready after "
                + max.toSeconds()
                + " s: "
                + String.join("; ", missing));
      }
      // Each look asks every broker process over HTTP: not so often that it slows their start.
      TimeUnit.MILLISECONDS.sleep(opts.brokerProcesses() ? 500 : 20);
      missing = notReady();
    }
  }

  /** What is not ready yet, one phrase each; empty when everything is. */
  private List<String> notReady() {
    List<String> out = new ArrayList<>();
    for (Topology.BrokerSpec b : topology.brokers()) {
      List<String> down = brokers.meshPeersDown(b.id());
      if (down == null) {
        out.add("broker " + b.id() + " is not running");
      } else if (!down.isEmpty()) {
        out.add("broker " + b.id() + "'s mesh link to " + String.join(", ", down) + " is down");
      }
    }
    for (RegionalTier r : regional.values()) {
      List<BackendHealth> health = r.lb().health();
      for (Topology.BrokerSpec b : topology.brokers()) {
        if (!b.region().equals(r.region())) {
          continue;
        }
        List<Topology.BrokerSpec> members = new ArrayList<>(siblings(b));
        members.add(0, b);
        for (Topology.BrokerSpec m : members) {
          boolean up =
              health.stream()
                  .anyMatch(
                      h ->
                          h.rule().equals(RegionalTier.rule(b))
                              && h.name().equals(m.id())
                              && h.up());
          if (!up) {
            out.add(
                "region "
                    + r.region()
                    + "'s load balancer has no healthy registration of "
                    + m.id()
                    + (m == b ? "" : " as the backup for " + b.id()));
          }
        }
      }
    }
    for (Map.Entry<String, GlobalTier> g : global.entrySet()) {
      for (Topology.BrokerSpec b : topology.brokers()) {
        boolean home =
            g.getValue().lb().health().stream()
                .anyMatch(
                    h -> h.rule().equals("g-" + b.id()) && h.name().equals(b.region()) && h.up());
        if (!home) {
          out.add(
              "region "
                  + g.getKey()
                  + "'s POP does not route "
                  + b.hostname()
                  + " to its home region "
                  + b.region());
        }
      }
    }
    return out;
  }

  public Topology topology() {
    return topology;
  }

  public AddressPlan plan() {
    return plan;
  }

  public boolean fullPath() {
    return opts.fullPath();
  }

  /**
   * A broker running in this JVM, or null while it is stopped.
   *
   * @throws IllegalStateException when brokers run in processes of their own (see {@link #pid})
   */
  public Broker broker(String id) {
    if (opts.brokerProcesses()) {
      throw new IllegalStateException(
          "broker " + id + " runs in a process of its own: use pid, killHard or its addresses");
    }
    return brokers.inJvm(id);
  }

  /** Whether a broker is running (started and not stopped or killed by this topology). */
  public boolean running(String id) {
    return brokers.running(id);
  }

  /** Where a broker's client listener is (whether or not it runs). */
  public InetSocketAddress clientAddress(String id) {
    HostPort a = config(id).clientListen();
    return new InetSocketAddress(a.host(), a.port());
  }

  /** Where a broker's admin listener ({@code /healthz}, {@code /metrics}, {@code /status}) is. */
  public InetSocketAddress adminAddress(String id) {
    HostPort a = config(id).adminListen();
    return new InetSocketAddress(a.host(), a.port());
  }

  private BrokerConfig config(String id) {
    BrokerConfig c = configs.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no broker '" + id + "' in the topology");
    }
    return c;
  }

  /** The brokers running in this JVM (none when they run in processes of their own). */
  public Map<String, Broker> brokers() {
    return brokers.inJvm();
  }

  /** The load balancer at region R's point of presence (full-path mode). */
  public LoadBalancer globalLb(String region) {
    return global.get(region).lb();
  }

  /** Region X's load balancer (full-path mode), or null while it is stopped. */
  public LoadBalancer regionalLb(String region) {
    RegionalTier r = regional.get(region);
    return r == null ? null : r.lb();
  }

  /** Every broker as a client in {@code region} reaches it: its hostname at that region's POP. */
  public List<BrokerEndpoint> endpoints(String region) {
    topology.region(region);
    List<BrokerEndpoint> out = new ArrayList<>();
    for (Topology.BrokerSpec b : topology.brokers()) {
      out.add(
          new BrokerEndpoint(
              b.id(), b.hostname(), new InetSocketAddress(plan.pop(region, b), b.clientPort())));
    }
    return out;
  }

  public BrokerEndpoint endpoint(String region, String brokerId) {
    return endpoints(region).stream()
        .filter(e -> e.id().equals(brokerId))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The per-region "anycast" resolver: a broker hostname maps to its frontend at the client's POP.
   */
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
    return ClientOptions.of(
        TlsMaterial.load(
            pki.resolve("ca.pem"), pki.resolve(name + ".pem"), pki.resolve(name + "-key.pem")));
  }

  /** The bearer token file every broker's {@code /status} needs ({@code admin.token}). */
  public Path adminTokenFile() {
    return dir.resolve(AdminSettings.DEFAULT_TOKEN_FILE);
  }

  /** The admin token file of {@code region}'s load balancer, which its brokers register with. */
  public Path regionalTokenFile(String region) {
    return dir.resolve("lb-" + region + "-admin.token");
  }

  public Path pkiDir() {
    return dir.resolve("pki");
  }

  @Override
  public void close() {
    brokers.close();
    global.values().forEach(GlobalTier::close);
    regional.values().forEach(RegionalTier::close);
    relays.forEach(DelayRelay::close);
    relayGroup.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }
}
