package dev.switchboard.lb;

import dev.switchboard.lb.internal.ConfigCodec;
import dev.switchboard.lb.internal.ConfigValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The whole declarative model: admin listener, frontends, pools, probes and rules; immutable, with
 * {@code with*} helpers that return a changed copy.
 *
 * @param adminTokenFile the file holding the admin API's bearer token, or null for a random token
 *     held in memory
 * @param adminHosts names the admin API accepts in {@code Host} besides its address and localhost
 */
public record LbConfig(
    String adminAddress,
    int adminPort,
    Path adminTokenFile,
    List<String> adminHosts,
    List<FrontendConfig> frontends,
    List<PoolConfig> pools,
    List<ProbeConfig> probes,
    List<RuleConfig> rules) {

  /** Admin port value that disables the admin HTTP listener (embedders that need no API). */
  public static final int ADMIN_DISABLED = -1;

  /** The token file's name when a config file names none: beside that file. */
  public static final String DEFAULT_TOKEN_FILE = "lb-admin.token";

  public LbConfig {
    adminAddress = adminAddress == null ? "127.0.0.1" : adminAddress;
    adminHosts = adminHosts == null ? List.of() : List.copyOf(adminHosts);
    frontends = frontends == null ? List.of() : List.copyOf(frontends);
    pools = pools == null ? List.of() : List.copyOf(pools);
    probes = probes == null ? List.of() : List.copyOf(probes);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** A model whose admin API has an in-memory token and accepts no extra Host names. */
  public LbConfig(
      String adminAddress,
      int adminPort,
      List<FrontendConfig> frontends,
      List<PoolConfig> pools,
      List<ProbeConfig> probes,
      List<RuleConfig> rules) {
    this(adminAddress, adminPort, null, null, frontends, pools, probes, rules);
  }

  /** Parses a YAML (or JSON) config document; throws {@link LbException} naming the bad field. */
  public static LbConfig parse(String yaml) {
    return ConfigCodec.parseYaml("config", yaml);
  }

  /**
   * Reads, parses and validates a YAML config file; throws {@link LbException} whose message names
   * the file, the field and the problem.
   */
  public static LbConfig load(Path file) throws IOException {
    LbConfig c = ConfigCodec.load(file);
    // Relative to the file, like every path in it; by default a token file of its own beside it.
    Path dir = file.toAbsolutePath().getParent();
    c =
        c.withAdminTokenFile(
            dir.resolve(
                c.adminTokenFile() != null ? c.adminTokenFile() : Path.of(DEFAULT_TOKEN_FILE)));
    try {
      ConfigValidator.validate(c);
    } catch (LbException e) {
      throw new LbException(e.code(), file + ": " + e.getMessage(), e);
    }
    return c;
  }

  /** This model as a YAML document that {@link #parse} reads back. */
  public String toYaml() {
    return ConfigCodec.toYaml(this);
  }

  /** An empty model whose admin API listens on an ephemeral port of 127.0.0.1. */
  public static LbConfig empty() {
    return new LbConfig("127.0.0.1", 0, null, null, null, null, null, null);
  }

  /** This model with the admin listener at {@code address:port}; token file and hosts kept. */
  public LbConfig withAdmin(String address, int port) {
    return new LbConfig(address, port, adminTokenFile, adminHosts, frontends, pools, probes, rules);
  }

  /**
   * This model with the admin API's bearer token in {@code file} (created 0600 at start when
   * absent); null gives the API a random token held in memory ({@link LoadBalancer#adminToken}).
   */
  public LbConfig withAdminTokenFile(Path file) {
    return new LbConfig(adminAddress, adminPort, file, adminHosts, frontends, pools, probes, rules);
  }

  /** This model with extra names the admin API accepts in {@code Host} (besides its address). */
  public LbConfig withAdminHosts(List<String> hosts) {
    return new LbConfig(
        adminAddress, adminPort, adminTokenFile, hosts, frontends, pools, probes, rules);
  }

  /** This model with the admin section (listener, token file, hosts) of {@code other}. */
  public LbConfig withAdminOf(LbConfig other) {
    return new LbConfig(
        other.adminAddress,
        other.adminPort,
        other.adminTokenFile,
        other.adminHosts,
        frontends,
        pools,
        probes,
        rules);
  }

  public LbConfig withFrontend(FrontendConfig f) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        upsert(frontends, f, x -> x.name().equals(f.name())),
        pools,
        probes,
        rules);
  }

  public LbConfig withPool(PoolConfig p) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        frontends,
        upsert(pools, p, x -> x.name().equals(p.name())),
        probes,
        rules);
  }

  public LbConfig withProbe(ProbeConfig p) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        frontends,
        pools,
        upsert(probes, p, x -> x.name().equals(p.name())),
        rules);
  }

  public LbConfig withRule(RuleConfig r) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        frontends,
        pools,
        probes,
        upsert(rules, r, x -> x.name().equals(r.name())));
  }

  public LbConfig withoutFrontend(String name) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        remove(frontends, x -> x.name().equals(name)),
        pools,
        probes,
        rules);
  }

  public LbConfig withoutPool(String name) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        frontends,
        remove(pools, x -> x.name().equals(name)),
        probes,
        rules);
  }

  public LbConfig withoutProbe(String name) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        frontends,
        pools,
        remove(probes, x -> x.name().equals(name)),
        rules);
  }

  public LbConfig withoutRule(String name) {
    return new LbConfig(
        adminAddress,
        adminPort,
        adminTokenFile,
        adminHosts,
        frontends,
        pools,
        probes,
        remove(rules, x -> x.name().equals(name)));
  }

  private static <T> List<T> upsert(List<T> list, T item, Predicate<T> same) {
    List<T> out = new ArrayList<>(list);
    for (int i = 0; i < out.size(); i++) {
      if (same.test(out.get(i))) {
        out.set(i, item);
        return out;
      }
    }
    out.add(item);
    return out;
  }

  private static <T> List<T> remove(List<T> list, Predicate<T> same) {
    List<T> out = new ArrayList<>(list);
    out.removeIf(same);
    return out;
  }
}
