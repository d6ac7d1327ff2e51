package dev.switchboard.bench.hostile;

import dev.switchboard.client.BrokerEndpoint;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.pki.TlsMaterial;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code --key value} command-line options shared by the benchmark's mains. */
final class Opts {
  private final Map<String, String> values = new HashMap<>();

  Opts(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
  }

  String get(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  String required(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return v;
  }

  int integer(String key, int dflt) {
    return Integer.parseInt(get(key, Integer.toString(dflt)));
  }

  /**
   * {@code --brokers ID@IP:PORT,...}: the brokers, each dialled and verified by its IP address (the
   * bench's broker certificates carry it).
   */
  List<BrokerEndpoint> brokers(String key) {
    List<BrokerEndpoint> out = new ArrayList<>();
    for (String b : required(key).split(",")) {
      String id = b.substring(0, b.indexOf('@'));
      String ip = b.substring(b.indexOf('@') + 1, b.lastIndexOf(':'));
      int port = Integer.parseInt(b.substring(b.lastIndexOf(':') + 1));
      out.add(new BrokerEndpoint(id, ip, new InetSocketAddress(ip, port)));
    }
    return out;
  }

  private static final Map<String, ClientOptions> LOADED = new ConcurrentHashMap<>();

  /**
   * The identity {@code name} from the PKI folder, connecting from {@code source} (or any); loaded
   * once per process.
   */
  static ClientOptions identity(Path pki, String name, String source) throws IOException {
    String key = pki + "/" + name + "@" + source;
    ClientOptions cached = LOADED.get(key);
    if (cached != null) {
      return cached;
    }
    ClientOptions o =
        ClientOptions.of(
                TlsMaterial.load(
                    pki.resolve("ca.pem"),
                    pki.resolve(name + ".pem"),
                    pki.resolve(name + "-key.pem")))
            .withConnectTimeout(Duration.ofSeconds(10));
    o = source == null ? o : o.withBindAddress(InetAddress.getByName(source));
    LOADED.put(key, o);
    return o;
  }
}
