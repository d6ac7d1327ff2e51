package dev.switchboard.broker;

import dev.switchboard.broker.internal.AdminInitializer;
import dev.switchboard.broker.internal.AuditLog;
import dev.switchboard.broker.internal.BrokerCore;
import dev.switchboard.broker.internal.ClientInitializer;
import dev.switchboard.broker.internal.CrlWatcher;
import dev.switchboard.broker.internal.Listeners;
import dev.switchboard.broker.internal.MeshNode;
import dev.switchboard.broker.internal.PoolRegistrar;
import dev.switchboard.broker.internal.RelaySession;
import dev.switchboard.broker.internal.TlsContexts;
import dev.switchboard.config.BearerToken;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.TokenFile;
import dev.switchboard.pki.CredentialException;
import dev.switchboard.pki.Role;
import dev.switchboard.pki.TlsMaterial;
import dev.switchboard.protocol.HostPort;
import dev.switchboard.time.Scheduler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running broker: client listener (mTLS), admin listener (HTTP) and, with peers, the mesh. */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);
  private final BrokerCore core;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final List<Channel> listeners = new ArrayList<>();
  private final MeshNode mesh;
  private volatile PoolRegistrar registrar;
  private final InetSocketAddress clientAddress;
  private final InetSocketAddress adminAddress;
  private volatile boolean closed;
  private volatile ClientInitializer clientInit;

  private Broker(
      BrokerCore core,
      EventLoopGroup boss,
      EventLoopGroup workers,
      MeshNode mesh,
      InetSocketAddress client,
      InetSocketAddress admin) {
    this.core = core;
    this.boss = boss;
    this.workers = workers;
    this.mesh = mesh;
    this.clientAddress = client;
    this.adminAddress = admin;
  }

  /** Loads the TLS files named in the config and starts the broker with the system clock. */
  public static Broker start(BrokerConfig config) throws IOException {
    return start(
        config,
        TlsMaterial.load(config.caFile(), config.certFile(), config.keyFile()),
        Clock.systemUTC());
  }

  /**
   * Starts a broker and binds its listeners (port 0 picks a free port; see {@link #clientPort()}).
   *
   * @throws IOException if a port cannot be bound or the TLS material is unusable
   * @throws ConfigException if the admin token file may be read by others or holds no token , or
   *     the audit log file cannot be opened for appending
   */
  public static Broker start(BrokerConfig config, TlsMaterial tls, Clock clock) throws IOException {
    if (tls.role() != Role.BROKER) { // a client certificate would make every client refuse us
      throw new CredentialException(
          "the certificate in "
              + config.certFile()
              + " has role "
              + tls.role().id()
              + "; a broker needs a broker certificate (switchboard pki issue broker)");
    }
    // Before any thread or port: a token file others may read is refused, not served with.
    BearerToken adminToken = TokenFile.loadOrCreate(config.admin().tokenFile());
    // Likewise a revocation list that is missing or signed by another CA stops the start.
    CrlWatcher crl =
        config.crlFile() != null ? CrlWatcher.load(config.crlFile(), config.caFile()) : null;
    if (config.audit() != null) {
      // An audit log that cannot be written stops the start instead of losing every record.
      Path f = config.audit().file();
      try {
        Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
      } catch (IOException e) {
        throw new ConfigException(f.toString(), "audit.file", "cannot be written: " + e);
      }
    }
    EventLoopGroup boss = Transports.group(1);
    EventLoopGroup workers = Transports.group(0);
    AuditLog audit = null;
    try {
      BrokerCore core = new BrokerCore(config, tls, clock, Scheduler.using(workers));
      if (config.audit() != null) {
        audit = new AuditLog(config.audit(), config.id(), n -> core.metrics.auditDropped.inc(n));
        core.audit = audit;
      }
      if (crl != null) {
        core.crl = crl;
        crl.start(core.scheduler);
      }
      ClientInitializer clientInit = new ClientInitializer(core, TlsContexts.server(tls));
      ServerBootstrap clientBootstrap =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(Transports.serverChannel())
              .option(ChannelOption.SO_BACKLOG, 4096)
              .childOption(ChannelOption.AUTO_READ, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(64 * 1024, 256 * 1024))
              // Read whole bursts of TLS records at once: fewer syscalls and unwrap calls per byte.
              // At most one such read per connection and event-loop turn (the allocator's default
              // of one message per read), so a client flooding the control phase gets one read's
              // worth of work before the other connections on its event loop are served.
              .childOption(
                  ChannelOption.RCVBUF_ALLOCATOR,
                  new AdaptiveRecvByteBufAllocator(2048, 16 * 1024, 128 * 1024))
              .childHandler(clientInit);
      Channel client = Listeners.bind("client", config.clientListen(), clientBootstrap);
      ServerBootstrap adminBootstrap =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(Transports.serverChannel())
              .childHandler(new AdminInitializer(core, adminToken, () -> statusJson(core)));
      Channel admin = Listeners.bind("admin", config.adminListen(), adminBootstrap);
      MeshNode mesh = null;
      if (config.meshListen() != null) {
        mesh = MeshNode.start(core, boss, workers);
        core.mesh = mesh;
      }
      Broker b =
          new Broker(
              core,
              boss,
              workers,
              mesh,
              (InetSocketAddress) client.localAddress(),
              (InetSocketAddress) admin.localAddress());
      b.clientInit = clientInit;
      b.listeners.add(client);
      b.listeners.add(admin);
      if (config.registration() != null) {
        b.registrar = new PoolRegistrar(config.id(), config.registration());
        b.registrar.start();
      }
      log.info(
          "broker {} listening: clients {} (mTLS via {}, {}), admin {} (token file {}){}",
          config.id(),
          HostPort.of((InetSocketAddress) client.localAddress()),
          TlsContexts.providerName(),
          Transports.name(),
          HostPort.of((InetSocketAddress) admin.localAddress()),
          config.admin().tokenFile(),
          mesh == null ? "" : ", mesh " + HostPort.of(mesh.address()));
      return b;
    } catch (Exception e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (audit != null) {
        audit.close();
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("broker " + config.id() + " could not start: " + e.getMessage(), e);
    }
  }

  private static String statusJson(BrokerCore core) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"id\":\"")
        .append(core.config.id())
        .append("\",\"draining\":")
        .append(core.draining.get())
        .append(",\"sessions\":")
        .append(core.metrics.sessionsActive.get())
        .append(",\"connections\":")
        .append(core.metrics.connectionsOpen.get())
        .append(",\"openCodes\":")
        .append(core.codes.open())
        .append(",\"peers\":")
        .append(core.mesh instanceof MeshNode m ? m.peersJson() : "[]")
        .append("}\n");
    return sb.toString();
  }

  public String id() {
    return core.config.id();
  }

  public int clientPort() {
    return clientAddress.getPort();
  }

  public InetSocketAddress clientAddress() {
    return clientAddress;
  }

  public int adminPort() {
    return adminAddress.getPort();
  }

  public InetSocketAddress adminAddress() {
    return adminAddress;
  }

  /** The file holding the bearer token that {@code /status} needs (never the token itself). */
  public Path adminTokenFile() {
    return core.config.admin().tokenFile();
  }

  /** The bound mesh address, or null for a broker without a mesh. */
  public InetSocketAddress meshAddress() {
    return mesh == null ? null : mesh.address();
  }

  /** Prometheus text of the broker's metrics (what {@code GET /metrics} serves). */
  public String metricsText() {
    return core.metrics.render();
  }

  /** True when this broker has no mesh or its link to every configured peer is up. */
  public boolean meshLinksUp() {
    return mesh == null || mesh.allLinksUp();
  }

  /** The ids of the configured peers this broker's mesh link to is down (empty: all up). */
  public List<String> meshPeersDown() {
    return mesh == null ? List.of() : mesh.peersDown();
  }

  public long activeSessions() {
    return core.metrics.sessionsActive.get();
  }

  /** Stops taking new codes and joins; {@code /healthz} turns 503 so load balancers move away. */
  public void drain() {
    core.draining.set(true);
  }

  /**
   * Re-reads {@code tls.ca}, {@code tls.cert} and {@code tls.key} (after {@code switchboard pki
   * renew}) for new client connections; established ones, the mesh listener and mesh links keep the
   * certificate they started with until a restart. Files that do not load change nothing.
   *
   * @throws IOException if a file cannot be read or holds no usable broker credential
   */
  public void reloadCertificate() throws IOException {
    BrokerConfig c = core.config;
    TlsMaterial next = TlsMaterial.load(c.caFile(), c.certFile(), c.keyFile());
    if (next.role() != Role.BROKER) {
      throw new CredentialException(
          "the certificate in "
              + core.config.certFile()
              + " has role "
              + next.role().id()
              + "; a broker needs a broker certificate (switchboard pki issue broker)");
    }
    clientInit.use(TlsContexts.server(next));
    log.info(
        "broker {}: certificate reloaded from {} (new client connections), valid until {}",
        core.config.id(),
        core.config.certFile(),
        next.certificate().getNotAfter().toInstant());
  }

  /**
   * Drains, waits up to {@code deadline} for running sessions to finish, leaves the load balancer's
   * pools, then closes.
   */
  public void drainAndClose(Duration deadline) {
    drain();
    long end = System.nanoTime() + deadline.toNanos();
    while (core.metrics.sessionsActive.get() > 0 && System.nanoTime() < end) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (registrar != null) {
      registrar.leave();
    }
    close();
  }

  /** Ends every session with BROKER_SHUTDOWN and releases all ports and threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (core.crl != null) {
      core.crl.close();
    }
    if (registrar != null) {
      registrar.close(); // stop renewing: the lease makes the pool forget us within its ttl
    }
    for (Channel c : listeners) {
      c.close().syncUninterruptibly();
    }
    if (mesh != null) {
      mesh.close();
    }
    for (RelaySession s : new ArrayList<>(core.sessions)) {
      s.shutdown();
    }
    workers.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).syncUninterruptibly();
    if (core.audit != null) {
      core.audit.close(); // after the sessions: their records are queued by now
    }
    log.info("broker {} stopped", core.config.id());
  }
}
