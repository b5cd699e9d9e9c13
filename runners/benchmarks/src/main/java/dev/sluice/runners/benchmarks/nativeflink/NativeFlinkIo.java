package dev.sluice.runners.benchmarks.nativeflink;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a native job's lines come from and go to, and how its event time advances: files in batch
 * mode ({@link NativeFlinkFileIo}) or Kafka topics as a live stream ({@link NativeFlinkKafkaIo}).
 * The jobs only parse, window and format; the same logic thus runs in both benchmarks.
 */
public interface NativeFlinkIo {
  /** What a job writes. */
  enum Output {
    /** The job's result lines (risk-control's alerts included, as in the Sluice job). */
    RESULTS,
    /** Alerts a job writes beside its results (log-analytics' error-rate alerts). */
    ALERTS,
    /** Lines that do not parse, as {@link DeadLetters} lines. */
    DEAD_LETTERS
  }

  /** The input's text lines, one element each. */
  DataStream<String> readLines(StreamExecutionEnvironment env);

  /**
   * How the parsed events' time advances, with {@code eventTime} as each event's timestamp: in
   * batch mode Flink ignores watermarks; a stream's windows fire as they pass.
   */
  <T> WatermarkStrategy<T> eventTime(SerializableTimestampAssigner<T> eventTime);

  /** Writes {@code lines} to where {@code output} goes. */
  void writeLines(DataStream<String> lines, Output output);
}
