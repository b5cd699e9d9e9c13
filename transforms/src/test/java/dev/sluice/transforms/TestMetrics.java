package dev.sluice.transforms;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads counters back from a finished pipeline in tests: the attempted values (committed ones are
 * not reported by every runner), summed over every step that reports the counter.
 */
public final class TestMetrics {
  private TestMetrics() {}

  /** The counter {@code namespace/name} over all steps; 0 when no step reported it. */
  public static long counter(PipelineResult result, String namespace, String name) {
    return sum(
        result, MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name)));
  }

  /** The counter {@code namespace/name} as reported under {@code step}. */
  public static long counter(PipelineResult result, String namespace, String name, String step) {
    return sum(
        result,
        MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(namespace, name))
            .addStep(step));
  }

  private static long sum(PipelineResult result, MetricsFilter.Builder filter) {
    long total = 0;
    for (MetricResult<Long> counter : result.metrics().queryMetrics(filter.build()).getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
