package dev.sluice.pipelines.io;

import dev.sluice.pipelines.options.JobOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes JSON lines where a sink URI says: {@code file:} prefixes ({@link WriteJsonLines}) or
 * {@code kafka://host:port/topic?...} ({@link WriteKafka}). A job writes through this and never
 * names a sink in code. Each line handed to the sink is counted ({@value #METRICS_NAMESPACE}
 * {@value #LINES_WRITTEN}), the "out" of the launcher's progress and summary.
 *
 * <pre>{@code
 * results.apply("Write", WriteLines.to("--output", options.getOutput()).withDefaultKeyFields("word"));
 * }</pre>
 */
public final class WriteLines extends PTransform<PCollection<String>, PDone> {
  /** What a dead-letter location is called by default: the output's, plus this. */
  public static final String DEAD_LETTERS_SUFFIX = ".dead-letters";

  public static final String METRICS_NAMESPACE = "sluice.io";
  public static final String LINES_WRITTEN = "lines_written";

  private final String flag;
  private final String uri;
  private final int numShards;
  private final @Nullable String defaultKeyFields;

  private WriteLines(String flag, String uri, int numShards, @Nullable String defaultKeyFields) {
    this.flag = flag;
    this.uri = uri;
    this.numShards = numShards;
    this.defaultKeyFields = defaultKeyFields;
  }

  /** Writes to {@code uri}, which came from option {@code flag} (named in errors). */
  public static WriteLines to(String flag, String uri) {
    FileUris.checkFileOrKafka(flag, uri);
    if (KafkaUri.isKafka(uri)) {
      KafkaUri.parse(flag, uri).forWriting(flag);
    } else {
      FileUris.toPath(flag, uri);
    }
    return new WriteLines(flag, uri, 0, null);
  }

  /** The default dead-letter location of an output: same place, name + {@code .dead-letters}. */
  public static String deadLettersFor(String outputUri) {
    return KafkaUri.isKafka(outputUri)
        ? KafkaUri.parse("--output", outputUri).withTopicSuffix(DEAD_LETTERS_SUFFIX)
        : outputUri + DEAD_LETTERS_SUFFIX;
  }

  /** Number of output files (file sinks); 0 lets the runner decide. */
  public WriteLines withNumShards(int numShards) {
    if (numShards < 0) {
      throw new IllegalArgumentException("number of shards must be 0 or more, was " + numShards);
    }
    return new WriteLines(flag, uri, numShards, defaultKeyFields);
  }

  /**
   * The JSON fields, comma-separated, that key Kafka records (with a result's window: {@link
   * WriteKafka}) unless the URI says {@code key=}.
   */
  public WriteLines withDefaultKeyFields(@Nullable String fields) {
    return new WriteLines(flag, uri, numShards, fields);
  }

  @Override
  public PDone expand(PCollection<String> input) {
    PCollection<String> lines = input.apply("CountLines", ParDo.of(new CountLinesFn()));
    if (KafkaUri.isKafka(uri)) {
      return lines.apply(
          "WriteKafka", WriteKafka.to(flag, uri).withDefaultKeyFields(defaultKeyFields));
    }
    return lines.apply("WriteFiles", WriteJsonLines.to(flag, uri).withNumShards(numShards));
  }

  /** Passes lines through, counting them. */
  static final class CountLinesFn extends DoFn<String, String> {
    private final Counter written = Metrics.counter(METRICS_NAMESPACE, LINES_WRITTEN);

    @ProcessElement
    public void process(@Element String line, OutputReceiver<String> out) {
      written.inc();
      out.output(line);
    }
  }

  /** The dead-letter location: {@link #getDeadLetters()} or the output's default. */
  public static String deadLettersOf(JobOptions options) {
    return options.getDeadLetters().isEmpty()
        ? deadLettersFor(options.getOutput())
        : options.getDeadLetters();
  }

  /**
   * A side output next to {@code --output} (e.g. alerts): {@code <output>.<name>}, a file prefix or
   * a topic with the same query.
   */
  public static String besideOutput(JobOptions options, String name) {
    String output = options.getOutput();
    return KafkaUri.isKafka(output)
        ? KafkaUri.parse("--output", output).withTopicSuffix("." + name)
        : output + "." + name;
  }
}
