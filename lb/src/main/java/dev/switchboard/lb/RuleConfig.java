package dev.switchboard.lb;

import dev.switchboard.config.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A load-balancing rule: traffic to {@code frontend:frontendPort/protocol} goes to {@code
 * pool:backendPort}; port 0 binds an ephemeral port (read it with {@link LoadBalancer#port}).
 *
 * <p>{@code trustedProxies} (TCP only): peers in these blocks must open with a PROXY v2 header,
 * whose client address the rule then uses; a PROXY header from any other peer closes the
 * connection. {@code sourceAddress} (nullable): the local address connections to backends come
 * from; null lets the system choose.
 */
public record RuleConfig(
    String name,
    String frontend,
    int frontendPort,
    Protocol protocol,
    String pool,
    int backendPort,
    String probe,
    Distribution distribution,
    Duration idleTimeout,
    boolean tcpReset,
    boolean proxyProtocol,
    Duration drain,
    boolean resetOnBackendDown,
    Duration connectTimeout,
    int connectAttempts,
    int maxUdpFlows,
    int maxUdpFlowsPerSource,
    List<Cidr> trustedProxies,
    String sourceAddress) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(4);
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_CONNECT_ATTEMPTS = 3;
  public static final int DEFAULT_MAX_UDP_FLOWS = 8192;

  /** Flows one source address may hold per rule: a few sources cannot fill the table. */
  public static final int DEFAULT_MAX_UDP_FLOWS_PER_SOURCE = 64;

  public RuleConfig {
    Objects.requireNonNull(name, "name");
    protocol = protocol == null ? Protocol.TCP : protocol;
    distribution = distribution == null ? Distribution.DEFAULT : distribution;
    idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
    drain = drain == null ? DEFAULT_DRAIN : drain;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    connectAttempts = connectAttempts <= 0 ? DEFAULT_CONNECT_ATTEMPTS : connectAttempts;
    maxUdpFlows = maxUdpFlows <= 0 ? DEFAULT_MAX_UDP_FLOWS : maxUdpFlows;
    maxUdpFlowsPerSource =
        maxUdpFlowsPerSource <= 0 ? DEFAULT_MAX_UDP_FLOWS_PER_SOURCE : maxUdpFlowsPerSource;
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
  }

  /** Whether the rule reads PROXY headers from trusted peers. */
  public boolean acceptsProxyHeaders() {
    return !trustedProxies.isEmpty();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public Builder toBuilder() {
    return new Builder(name)
        .frontend(frontend)
        .frontendPort(frontendPort)
        .protocol(protocol)
        .pool(pool)
        .backendPort(backendPort)
        .probe(probe)
        .distribution(distribution)
        .idleTimeout(idleTimeout)
        .tcpReset(tcpReset)
        .proxyProtocol(proxyProtocol)
        .drain(drain)
        .resetOnBackendDown(resetOnBackendDown)
        .connectTimeout(connectTimeout)
        .connectAttempts(connectAttempts)
        .maxUdpFlows(maxUdpFlows)
        .maxUdpFlowsPerSource(maxUdpFlowsPerSource)
        .trustedProxies(trustedProxies)
        .sourceAddress(sourceAddress);
  }

  /** Fluent construction with the defaults of the record. */
  public static final class Builder {
    private final String name;
    private String frontend;
    private int frontendPort;
    private Protocol protocol;
    private String pool;
    private int backendPort;
    private String probe;
    private Distribution distribution;
    private Duration idleTimeout;
    private boolean tcpReset;
    private boolean proxyProtocol;
    private Duration drain;
    private boolean resetOnBackendDown;
    private Duration connectTimeout;
    private int connectAttempts;
    private int maxUdpFlows;
    private int maxUdpFlowsPerSource;
    private List<Cidr> trustedProxies;
    private String sourceAddress;

    private Builder(String name) {
      this.name = name;
    }

    public Builder frontend(String v) {
      frontend = v;
      return this;
    }

    public Builder frontendPort(int v) {
      frontendPort = v;
      return this;
    }

    public Builder protocol(Protocol v) {
      protocol = v;
      return this;
    }

    public Builder pool(String v) {
      pool = v;
      return this;
    }

    public Builder backendPort(int v) {
      backendPort = v;
      return this;
    }

    public Builder probe(String v) {
      probe = v;
      return this;
    }

    public Builder distribution(Distribution v) {
      distribution = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder tcpReset(boolean v) {
      tcpReset = v;
      return this;
    }

    public Builder proxyProtocol(boolean v) {
      proxyProtocol = v;
      return this;
    }

    public Builder drain(Duration v) {
      drain = v;
      return this;
    }

    public Builder resetOnBackendDown(boolean v) {
      resetOnBackendDown = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder connectAttempts(int v) {
      connectAttempts = v;
      return this;
    }

    public Builder maxUdpFlows(int v) {
      maxUdpFlows = v;
      return this;
    }

    /** New UDP flows one source address may open on this rule while its others live (0: 64). */
    public Builder maxUdpFlowsPerSource(int v) {
      maxUdpFlowsPerSource = v;
      return this;
    }

    public Builder trustedProxies(List<Cidr> v) {
      trustedProxies = v;
      return this;
    }

    public Builder sourceAddress(String v) {
      sourceAddress = v;
      return this;
    }

    public RuleConfig build() {
      return new RuleConfig(
          name,
          frontend,
          frontendPort,
          protocol,
          pool,
          backendPort,
          probe,
          distribution,
          idleTimeout,
          tcpReset,
          proxyProtocol,
          drain,
          resetOnBackendDown,
          connectTimeout,
          connectAttempts,
          maxUdpFlows,
          maxUdpFlowsPerSource,
          trustedProxies,
          sourceAddress);
    }
  }
}
