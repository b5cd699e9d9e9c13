package dev.sluice.runners.benchmarks.nativeflink;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A Sluice job's logic written with Flink's DataStream API, for side-by-side benchmarks. */
public interface NativeFlinkJob {
  /** The Sluice job it mirrors, e.g. {@code word-count}. */
  String name();

  /**
   * Adds the job to {@code env}: reads the text lines of the file or folder {@code input}, writes
   * result lines to {@code <output>/out/} (and, where the job has them, alerts to {@code
   * <output>/alerts/}) and unparsable lines to {@code <output>/dead/}.
   */
  void build(StreamExecutionEnvironment env, String input, String output);
}
