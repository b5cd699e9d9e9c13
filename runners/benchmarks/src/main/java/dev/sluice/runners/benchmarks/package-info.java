/**
 * {@code ./sluice bench}: Sluice's pipelines on the three Beam runners measured side by side with a
 * native Flink DataStream job and the plain-Java model of the same logic, every run in its own JVM
 * and every run's output checked; the Kafka read; sketch accuracy and partition balance. Depends on
 * the pipelines, the test kit's generators and Flink's own DataStream API; nothing depends on it.
 */
package dev.sluice.runners.benchmarks;
