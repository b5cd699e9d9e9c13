package dev.sluice.runners.benchmarks.nativeflink;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A Sluice job's logic written with Flink's DataStream API, for side-by-side benchmarks. */
public interface NativeFlinkJob {
  /** The Sluice job it mirrors, e.g. {@code word-count}. */
  String name();

  /**
   * Adds the job to {@code env}: reads the lines {@code io} gives, takes event time as {@code io}
   * says, and writes through {@code io} its results (and, where the job has them, alerts) and its
   * unparsable lines as dead letters.
   */
  void build(StreamExecutionEnvironment env, NativeFlinkIo io);
}
