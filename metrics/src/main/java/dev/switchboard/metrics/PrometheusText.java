package dev.switchboard.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Renders a component's registry plus the process's JVM metrics in the Prometheus text format. */
public final class PrometheusText {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

  // JVM metrics describe the process, not one component, so every broker and lb in this JVM
  // shares one registry: JvmMetrics installs GC listeners it never removes and keeps every registry
  // it was
  // given, so registering it per component would leak both in tests and `switchboard up`.
  private static final PrometheusRegistry JVM = new PrometheusRegistry();

  static {
    JvmMetrics.builder().register(JVM);
  }

  private PrometheusText() {}

  public static String render(PrometheusRegistry component) {
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    component.scrape().forEach(all::metricSnapshot);
    JVM.scrape().forEach(all::metricSnapshot);
    ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
    try {
      WRITER.write(out, all.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
