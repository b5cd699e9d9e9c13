/**
 * Partitioning: hash partitioning by a stable, documented hash of the key's encoding, range
 * partitioning over ordered keys (explicit or quantile split points), round-robin partitioning,
 * per-partition counts as metrics and as a {@link dev.sluice.transforms.partition.PartitionStats}
 * skew figure, and key salting ({@link dev.sluice.transforms.partition.SaltedCombine}) for
 * aggregations over hot keys. It depends only on Beam core and Apache DataSketches; jobs and
 * benchmarks may use it.
 */
package dev.sluice.transforms.partition;
