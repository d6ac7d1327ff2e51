package dev.switchboard.lb.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A tiny Prometheus registry: counters and gauges as {@link LongAdder}s, rendered as text format 0.0.4. */
public final class Metrics {
  private final Map<String, Family> families = new ConcurrentHashMap<>();

  /** The counter {@code name{labels}}, created on first use; labels are name/value pairs. */
  public LongAdder counter(String name, String help, String... labels) {
    return family(name, help, "counter").get(labels);
  }

  /** The gauge {@code name{labels}}, created on first use; labels are name/value pairs. */
  public LongAdder gauge(String name, String help, String... labels) {
    return family(name, help, "gauge").get(labels);
  }

  /** Forgets every series with {@code label="value"} (for deleted rules and backends). */
  public void forget(String label, String value) {
    String needle = label + "=\"" + escape(value) + "\"";
    for (Family f : families.values()) {
      f.series.keySet().removeIf(k -> k.contains(needle));
    }
  }

  private Family family(String name, String help, String type) {
    return families.computeIfAbsent(name, n -> new Family(n, help, type));
  }

  /** The exposition text of every series, sorted by name and labels. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    for (Family f : new TreeMap<>(families).values()) {
      if (f.series.isEmpty()) {
        continue;
      }
      sb.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
      sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
      for (Map.Entry<String, LongAdder> e : new TreeMap<>(f.series).entrySet()) {
        sb.append(f.name);
        if (!e.getKey().isEmpty()) {
          sb.append('{').append(e.getKey()).append('}');
        }
        sb.append(' ').append(e.getValue().sum()).append('\n');
      }
    }
    return sb.toString();
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static final class Family {
    final String name;
    final String help;
    final String type;
    final Map<String, LongAdder> series = new ConcurrentHashMap<>();

    Family(String name, String help, String type) {
      this.name = name;
      this.help = help;
      this.type = type;
    }

    LongAdder get(String... labels) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      return series.computeIfAbsent(sb.toString(), k -> new LongAdder());
    }
  }
}
