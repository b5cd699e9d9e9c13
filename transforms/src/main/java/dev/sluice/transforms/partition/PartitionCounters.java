package dev.sluice.transforms.partition;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * One Beam counter per partition, {@code sluice.partition/partition_<i>}, incremented by the
 * assigning DoFns: the per-partition counts a job's metrics show.
 */
final class PartitionCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numPartitions;
  private transient Counter[] counters;

  PartitionCounters(int numPartitions) {
    this.numPartitions = numPartitions;
  }

  /** Counts one element into {@code partition}. */
  void inc(int partition) {
    if (counters == null) {
      counters = new Counter[numPartitions];
      for (int i = 0; i < numPartitions; i++) {
        counters[i] =
            Metrics.counter(PartitionStats.METRICS_NAMESPACE, PartitionStats.counterName(i));
      }
    }
    counters[partition].inc();
  }
}
