/**
 * The benchmark's baselines: Sluice's jobs written with Flink's own DataStream API, as a Flink user
 * would write them instead of Beam, reusing only the domain code (parsers, rules, accumulators,
 * result formatting). Each job ({@link dev.sluice.runners.benchmarks.nativeflink.NativeFlinkJob})
 * reads, takes event time and writes through a {@link
 * dev.sluice.runners.benchmarks.nativeflink.NativeFlinkIo}: files in batch mode ({@link
 * dev.sluice.runners.benchmarks.nativeflink.NativeFlink}) or Kafka topics as a live stream ({@link
 * dev.sluice.runners.benchmarks.nativeflink.NativeFlinkStream}), so both benchmarks run the same
 * logic. Tests check each against the job's plain-Java model, in both modes.
 */
package dev.sluice.runners.benchmarks.nativeflink;
