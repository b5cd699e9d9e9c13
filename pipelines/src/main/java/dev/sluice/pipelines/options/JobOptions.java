package dev.sluice.pipelines.options;

import dev.sluice.transforms.window.DurationSpec;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The options every job shares: where it reads, where it writes, where bad records go. A job's own
 * {@code Options} extends this and adds its knobs.
 */
public interface JobOptions extends PipelineOptions {
  @Description(
      "Input: a file: path or glob of JSON lines (.gz/.bz2/.zip decompressed), or"
          + " kafka://host:port/topic with ?group=, start=earliest|latest|TIME,"
          + " stop=now|OFFSET|TIME (a bounded backfill), out-of-order=1m, config=client.properties")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Output: a file: prefix (results in <prefix>-SSSSS-of-NNNNN.jsonl) or kafka://host:port/topic"
          + " (?partitions=N creates the topic); one JSON object per result")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Where records that cannot be parsed go, as JSON lines with position, reason and raw text"
          + " (a file: prefix or kafka:// topic); empty means <output>.dead-letters")
  @Default.String("")
  String getDeadLetters();

  void setDeadLetters(String value);

  /** {@code --maxRecordBytes}' default: 1 MiB. */
  int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  @Description(
      "Longest record read (a file's line, a Kafka value), in bytes; a longer one is a dead letter"
          + " of kind oversize, with only its first 4 KiB kept. More than 0")
  @Default.Integer(DEFAULT_MAX_RECORD_BYTES)
  int getMaxRecordBytes();

  void setMaxRecordBytes(int value);

  /**
   * Checks a {@code --maxRecordBytes} value and returns it.
   *
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  static int checkMaxRecordBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException(
          "--maxRecordBytes: must be more than 0 (bytes), was " + bytes);
    }
    return bytes;
  }

  @Description("Number of output files; 0 lets the runner decide")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description(
      "How often ./sluice run prints the job's progress (records read, parsed, dead letters, lines"
          + " written so far) while it runs, e.g. 10s or 1m; off for none")
  @Default.String("10s")
  String getProgressEvery();

  void setProgressEvery(String value);

  /**
   * {@code --progressEvery} as a duration, or null for {@code off}.
   *
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  static @Nullable Duration progressEveryOf(JobOptions options) {
    String every = options.getProgressEvery();
    if (every != null && every.trim().equalsIgnoreCase("off")) {
      return null;
    }
    try {
      return DurationSpec.parse("--progressEvery", every);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or off", e);
    }
  }

  /**
   * Checks {@code --numShards} (0: the runner decides).
   *
   * @throws IllegalArgumentException naming the flag and the value
   */
  static void checkNumShards(JobOptions options) {
    if (options.getNumShards() < 0) {
      throw new IllegalArgumentException(
          "--numShards: must be 0 (runner decides) or more, was " + options.getNumShards());
    }
  }

  /** A job's sliding windows from its {@code --windowSize} and {@code --windowPeriod} flags. */
  record SlidingWindow(Duration size, Duration period) {
    /**
     * Parses both durations and checks the period is at most the size.
     *
     * @throws IllegalArgumentException naming the flag, the value and what is allowed
     */
    public static SlidingWindow parse(String windowSize, String windowPeriod) {
      Duration size = DurationSpec.parse("--windowSize", windowSize);
      Duration period = DurationSpec.parse("--windowPeriod", windowPeriod);
      if (period.isLongerThan(size)) {
        throw new IllegalArgumentException(
            String.format(
                "--windowPeriod: %s is longer than --windowSize %s; the period must be at most the"
                    + " size",
                windowPeriod, windowSize));
      }
      return new SlidingWindow(size, period);
    }
  }
}
