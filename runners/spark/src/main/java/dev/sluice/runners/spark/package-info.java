/**
 * Spark-specific tools: {@link dev.sluice.runners.spark.SparkCluster}, a local standalone cluster
 * on 127.0.0.1 behind {@code ./sluice cluster spark}, usable from tests. Depends on Spark's own
 * classes only through child JVMs; pipelines never depend on this package.
 */
package dev.sluice.runners.spark;
