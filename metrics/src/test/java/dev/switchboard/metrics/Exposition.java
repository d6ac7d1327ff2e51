package dev.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code /metrics} answer parsed by a strict, minimal Java reader of the Prometheus text format
 * 0.0.4, and (when installed) by the Python client's parser as an independent check.
 */
public final class Exposition {
  public record Sample(String name, Map<String, String> labels, double value) {}

  public record Family(String name, String type, List<Sample> samples) {}

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern TYPE =
      Pattern.compile(
          "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
  private static final String PYTHON_SCRIPT =
      String.join(
          "\n",
          "import sys, json",
          "try:",
          "    from prometheus_client.parser import text_string_to_metric_families",
          "except ImportError:",
          "    sys.exit(3)",
          "out = [{'name': f.name, 'type': f.type, 'samples': [",
          "    {'name': s.name, 'labels': s.labels, 'value': repr(s.value)} for s in f.samples]}",
          "    for f in text_string_to_metric_families(sys.stdin.read())]",
          "json.dump(out, sys.stdout)");

  public final String contentType;
  public final String text;
  public final Map<String, Family> families;

  private Exposition(String contentType, String text, Map<String, Family> families) {
    this.contentType = contentType;
    this.text = text;
    this.families = families;
  }

  /** GETs {@code /metrics} from {@code admin} and parses it; fails on any structural defect. */
  public static Exposition scrape(InetSocketAddress admin)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    return parse(r.headers().firstValue("content-type").orElse(""), r.body());
  }

  /**
   * Every sample belongs to the family of the {@code # TYPE} line just before it, each family has
   * exactly one such line, and all series of a family carry the same label names (so no unlabelled
   * total sits beside its labelled breakdown, which would make {@code sum()} count twice).
   */
  public static Exposition parse(String contentType, String text) {
    Map<String, Family> families = new LinkedHashMap<>();
    Family current = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty() || line.startsWith("# HELP ")) {
        continue;
      }
      Matcher t = TYPE.matcher(line);
      if (t.matches()) {
        current = new Family(t.group(1), t.group(2), new ArrayList<>());
        assertThat(families.put(current.name(), current))
            .as("family %s has two # TYPE lines", current.name())
            .isNull();
        continue;
      }
      assertThat(line).as("unexpected comment").doesNotStartWith("#");
      Sample s = sample(line);
      assertThat(current).as("sample before any # TYPE: %s", line).isNotNull();
      assertThat(belongsTo(s.name(), current))
          .as("sample %s is not in family %s (no # TYPE line of its own)", line, current.name())
          .isTrue();
      current.samples().add(s);
    }
    for (Family f : families.values()) {
      Set<Set<String>> labelSets = new HashSet<>();
      for (Sample s : f.samples()) {
        Set<String> names = new HashSet<>(s.labels().keySet());
        names.remove("le");
        names.remove("quantile");
        labelSets.add(names);
      }
      assertThat(labelSets).as("label names of the series of %s", f.name()).hasSizeLessThan(2);
    }
    return new Exposition(contentType, text, families);
  }

  public Family family(String name) {
    Family f = families.get(name);
    assertThat(f).as("family %s in\n%s", name, text).isNotNull();
    return f;
  }

  /**
   * The families as the Python client's parser reads the same text, or empty when {@code
   * python3-prometheus-client} is not installed.
   */
  public Optional<JsonNode> parsedByPrometheusClient() throws IOException, InterruptedException {
    for (String python : List.of("/usr/bin/python3", "python3")) {
      Process p;
      try {
        p = new ProcessBuilder(python, "-c", PYTHON_SCRIPT).redirectErrorStream(false).start();
      } catch (IOException e) {
        continue;
      }
      try (OutputStream in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      if (p.exitValue() == 3) {
        continue;
      }
      assertThat(p.exitValue()).as("prometheus_client parser failed: %s", err).isZero();
      return Optional.of(new ObjectMapper().readTree(out));
    }
    return Optional.empty();
  }

  /** Every sample of {@code parsed} keyed by name and labels, with its value. */
  public static Map<String, Double> samplesOf(JsonNode parsed) {
    Map<String, Double> all = new TreeMap<>();
    for (JsonNode f : parsed) {
      for (JsonNode s : f.get("samples")) {
        Map<String, String> labels = new TreeMap<>();
        s.get("labels")
            .fields()
            .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        all.put(s.get("name").asText() + labels, pythonFloat(s.get("value").asText()));
      }
    }
    return all;
  }

  private static double pythonFloat(String repr) {
    return switch (repr) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(repr);
    };
  }

  /** The same view of this exposition as {@link #samplesOf}. */
  public Map<String, Double> samples() {
    Map<String, Double> all = new TreeMap<>();
    for (Family f : families.values()) {
      for (Sample s : f.samples()) {
        all.put(s.name() + new TreeMap<>(s.labels()), s.value());
      }
    }
    return all;
  }

  private static boolean belongsTo(String sample, Family f) {
    if (sample.equals(f.name())) {
      return true;
    }
    List<String> suffixes =
        switch (f.type()) {
          case "histogram" -> List.of("_bucket", "_sum", "_count");
          case "summary" -> List.of("_sum", "_count");
          default -> List.of();
        };
    return suffixes.stream().anyMatch(x -> sample.equals(f.name() + x));
  }

  private static Sample sample(String line) {
    Matcher n = NAME.matcher(line);
    assertThat(n.lookingAt()).as("sample name in %s", line).isTrue();
    int i = n.end();
    Map<String, String> labels = new LinkedHashMap<>();
    if (line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        Matcher l = LABEL.matcher(line).region(i, line.length());
        assertThat(l.lookingAt()).as("label at %d in %s", i, line).isTrue();
        StringBuilder v = new StringBuilder();
        i = l.end();
        for (char c = line.charAt(i); c != '"'; c = line.charAt(++i)) {
          if (c == '\\') {
            char e = line.charAt(++i);
            assertThat("\\\"n").as("escape \\%s in %s", e, line).contains(String.valueOf(e));
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
        }
        assertThat(labels.put(l.group(1), v.toString())).as("label twice in %s", line).isNull();
        i++;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    assertThat(line.charAt(i)).as("space after series in %s", line).isEqualTo(' ');
    String[] rest = line.substring(i + 1).split(" ");
    assertThat(rest.length).as("value and optional timestamp in %s", line).isBetween(1, 2);
    return new Sample(n.group(), labels, value(rest[0]));
  }

  private static double value(String v) {
    switch (v) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(v);
    }
  }
}
