package dev.sluice.pipelines.io;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

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

  @Description("Number of output files; 0 lets the runner decide")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  /** The dead-letter location: {@link #getDeadLetters()} or the output's default. */
  static String deadLettersOf(JobOptions options) {
    return options.getDeadLetters().isEmpty()
        ? WriteLines.deadLettersFor(options.getOutput())
        : options.getDeadLetters();
  }

  /**
   * A side output next to {@code --output} (e.g. alerts): {@code <output>.<name>}, a file prefix
   * or a topic with the same query.
   */
  static String besideOutput(JobOptions options, String name) {
    String output = options.getOutput();
    return KafkaUri.isKafka(output)
        ? KafkaUri.parse("--output", output).withTopicSuffix("." + name)
        : output + "." + name;
  }
}
