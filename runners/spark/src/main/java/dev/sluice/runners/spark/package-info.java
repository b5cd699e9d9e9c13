/**
 * Spark-specific tools: {@link dev.sluice.runners.spark.SparkCluster}, a local standalone cluster
 * on 127.0.0.1 behind {@code ./sluice cluster spark}, usable from tests, and {@link
 * dev.sluice.runners.spark.SparkStopHook}, which has the launcher stop a job before Spark's own
 * shutdown hooks run. Pipelines never depend on this package.
 */
package dev.sluice.runners.spark;
