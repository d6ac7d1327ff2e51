package dev.switchboard.lb.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.config.Cidr;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.DurationRange;
import dev.switchboard.lb.Backend;
import dev.switchboard.lb.Distribution;
import dev.switchboard.lb.FrontendConfig;
import dev.switchboard.lb.LbConfig;
import dev.switchboard.lb.NoHealthyBackendsBehavior;
import dev.switchboard.lb.PoolConfig;
import dev.switchboard.lb.ProbeConfig;
import dev.switchboard.lb.ProbeProtocol;
import dev.switchboard.lb.Protocol;
import dev.switchboard.lb.RuleConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The schema of an lb config file and of admin API bodies, read by the strict mapper; optional
 * scalars are boxed so that "absent" means the model's default. {@link ConfigValidator} checks what
 * spans entries (names, references, clashing rules).
 */
final class ConfigFile {
  private ConfigFile() {}

  record Root(
      Admin admin,
      List<Frontend> frontends,
      List<Pool> pools,
      List<Probe> probes,
      List<Rule> rules) {
    LbConfig toModel() {
      Admin a = admin == null ? new Admin(null, null, null, null) : admin;
      return new LbConfig(
          a.address(),
          a.port() == null ? 0 : a.port(),
          a.tokenFile() == null ? null : Path.of(a.tokenFile()),
          a.hosts(),
          map(frontends, Frontend::toModel),
          map(pools, Pool::toModel),
          map(probes, Probe::toModel),
          map(rules, Rule::toModel));
    }
  }

  record Admin(String address, Integer port, String tokenFile, List<String> hosts) {
    Admin {
      // -1 is LbConfig.ADMIN_DISABLED.
      range("port", port, LbConfig.ADMIN_DISABLED, 65535);
      if (tokenFile != null && tokenFile.isBlank()) {
        throw ConfigException.field("tokenFile", "must not be empty");
      }
      for (int i = 0; hosts != null && i < hosts.size(); i++) {
        String h = hosts.get(i);
        if (h == null || !AdminGuard.isHostName(h)) {
          throw ConfigException.field(
              "hosts[" + i + "]", "must be a host name without a port, got '" + h + "'");
        }
      }
    }
  }

  record Frontend(
      @JsonProperty(required = true) String name, @JsonProperty(required = true) String ip) {
    Frontend {
      checkIp(ip);
    }

    FrontendConfig toModel() {
      return new FrontendConfig(name, ip);
    }
  }

  record Pool(@JsonProperty(required = true) String name, List<BackendEntry> backends) {
    PoolConfig toModel() {
      return new PoolConfig(name, map(backends, BackendEntry::toModel));
    }
  }

  record BackendEntry(@JsonProperty(required = true) String ip, String name, Integer priority) {
    BackendEntry {
      checkIp(ip);
      range("priority", priority, 0, Limits.PRIORITY_MAX);
    }

    Backend toModel() {
      return new Backend(ip, name, priority == null ? 0 : priority);
    }
  }

  /** A backend added through the admin API, optionally with a lease. */
  record LeasedBackend(
      @JsonProperty(required = true) String ip,
      String name,
      Integer priority,
      @DurationRange(min = Limits.TTL_MIN, max = Limits.TTL_MAX) Duration ttl) {
    LeasedBackend {
      checkIp(ip);
      range("priority", priority, 0, Limits.PRIORITY_MAX);
    }

    Backend backend() {
      return new BackendEntry(ip, name, priority).toModel();
    }
  }

  record Probe(
      @JsonProperty(required = true) String name,
      ProbeProtocol protocol,
      Integer port,
      String path,
      @DurationRange(min = Limits.INTERVAL_MIN, max = Limits.INTERVAL_MAX) Duration interval,
      Integer threshold,
      @DurationRange(min = Limits.TIMEOUT_MIN, max = Limits.TIMEOUT_MAX) Duration timeout,
      NoHealthyBackendsBehavior noHealthyBackendsBehavior) {
    Probe {
      range("port", port, 0, 65535);
      range("threshold", threshold, 1, Limits.THRESHOLD_MAX);
    }

    ProbeConfig toModel() {
      return new ProbeConfig(
          name,
          protocol,
          port == null ? 0 : port,
          path,
          interval == null ? ProbeConfig.DEFAULT_INTERVAL : interval,
          threshold == null ? ProbeConfig.DEFAULT_THRESHOLD : threshold,
          timeout,
          noHealthyBackendsBehavior);
    }
  }

  record Rule(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) String frontend,
      Integer frontendPort,
      Protocol protocol,
      @JsonProperty(required = true) String pool,
      @JsonProperty(required = true) Integer backendPort,
      String probe,
      Distribution distribution,
      @DurationRange(min = Limits.IDLE_MIN, max = Limits.IDLE_MAX) Duration idleTimeout,
      Boolean tcpReset,
      Boolean proxyProtocol,
      @DurationRange(max = Limits.DRAIN_MAX) Duration drain,
      Boolean resetOnBackendDown,
      @DurationRange(min = Limits.CONNECT_MIN, max = Limits.CONNECT_MAX) Duration connectTimeout,
      Integer connectAttempts,
      Integer maxUdpFlows,
      Integer maxUdpFlowsPerSource,
      List<String> trustedProxies,
      String sourceAddress) {
    Rule {
      range("frontendPort", frontendPort, 0, 65535);
      range("backendPort", backendPort, 1, 65535);
      range("connectAttempts", connectAttempts, 1, Limits.CONNECT_ATTEMPTS_MAX);
      range("maxUdpFlows", maxUdpFlows, 1, Limits.UDP_FLOWS_MAX);
      range("maxUdpFlowsPerSource", maxUdpFlowsPerSource, 1, Limits.UDP_FLOWS_MAX);
      RulePeers.check(protocol, cidrs(trustedProxies), sourceAddress);
    }

    RuleConfig toModel() {
      return RuleConfig.builder(name)
          .frontend(frontend)
          .frontendPort(frontendPort == null ? 0 : frontendPort)
          .protocol(protocol)
          .pool(pool)
          .backendPort(backendPort)
          .probe(probe)
          .distribution(distribution)
          .idleTimeout(idleTimeout)
          .tcpReset(Boolean.TRUE.equals(tcpReset))
          .proxyProtocol(Boolean.TRUE.equals(proxyProtocol))
          .drain(drain)
          .resetOnBackendDown(Boolean.TRUE.equals(resetOnBackendDown))
          .connectTimeout(connectTimeout)
          .connectAttempts(connectAttempts == null ? 0 : connectAttempts)
          .maxUdpFlows(maxUdpFlows == null ? 0 : maxUdpFlows)
          .maxUdpFlowsPerSource(maxUdpFlowsPerSource == null ? 0 : maxUdpFlowsPerSource)
          .trustedProxies(cidrs(trustedProxies))
          .sourceAddress(sourceAddress)
          .build();
    }
  }

  private static List<Cidr> cidrs(List<String> blocks) {
    List<Cidr> out = new ArrayList<>();
    for (int i = 0; blocks != null && i < blocks.size(); i++) {
      out.add(Cidr.parse("trustedProxies[" + i + "]", blocks.get(i)));
    }
    return out;
  }

  private static void range(String field, Integer v, int min, int max) {
    if (v != null && (v < min || v > max)) {
      throw ConfigException.field(field, "must be " + min + "-" + max + ", got " + v);
    }
  }

  private static void checkIp(String ip) {
    try {
      Addresses.parse(ip);
    } catch (RuntimeException e) {
      throw ConfigException.field("ip", e.getMessage());
    }
  }

  private static <A, B> List<B> map(List<A> in, Function<A, B> f) {
    return in == null ? List.of() : in.stream().map(f).toList();
  }
}
