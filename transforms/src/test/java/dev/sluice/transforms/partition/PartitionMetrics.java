package dev.sluice.transforms.partition;

import dev.sluice.transforms.TestMetrics;
import org.apache.beam.sdk.PipelineResult;

/** Reads the per-partition counters of one step back from a finished pipeline. */
final class PartitionMetrics {
  private PartitionMetrics() {}

  /**
   * The attempted value of each {@code sluice.partition/partition_<i>} counter under {@code step}.
   */
  static long[] counts(PipelineResult result, String step, int numPartitions) {
    long[] counts = new long[numPartitions];
    for (int i = 0; i < numPartitions; i++) {
      counts[i] =
          TestMetrics.counter(
              result, PartitionStats.METRICS_NAMESPACE, PartitionStats.counterName(i), step);
    }
    return counts;
  }
}
