/**
 * The benchmark's baselines: Sluice's jobs written with Flink's own DataStream API (batch mode), as
 * a Flink user would write them instead of Beam, reusing only the domain code (parsers, rules,
 * accumulators, result formatting). Tests check each against the job's plain-Java model.
 */
package dev.sluice.runners.benchmarks.nativeflink;
