/**
 * Sluice's reusable, runner-independent PTransforms, one package per family: {@code partition}
 * (hash, range and round-robin partitioning, skew, hot keys), {@code window} (sliding windows,
 * triggers, panes), {@code distinct} (approximate distinct counting, de-duplication), {@code join}
 * (CoGroupByKey, windowed and lookup joins) and {@code quality} (dead letters). Nothing here may
 * depend on a Flink or Spark artifact; the build enforces it.
 */
package dev.sluice.transforms;
