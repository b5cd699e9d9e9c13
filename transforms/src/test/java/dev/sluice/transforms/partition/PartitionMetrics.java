package dev.sluice.transforms.partition;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads the per-partition counters of one step back from a finished pipeline. */
final class PartitionMetrics {
  private PartitionMetrics() {}

  /**
   * The attempted value of each {@code sluice.partition/partition_<i>} counter under {@code step}.
   */
  static long[] counts(PipelineResult result, String step, int numPartitions) {
    long[] counts = new long[numPartitions];
    for (int i = 0; i < numPartitions; i++) {
      MetricsFilter filter =
          MetricsFilter.builder()
              .addNameFilter(MetricNameFilter.named("sluice.partition", "partition_" + i))
              .addStep(step)
              .build();
      for (MetricResult<Long> counter : result.metrics().queryMetrics(filter).getCounters()) {
        counts[i] += counter.getAttempted();
      }
    }
    return counts;
  }
}
