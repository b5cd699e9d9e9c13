package dev.sluice.pipelines.wordcount;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.pipelines.options.TriggerOptions;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.DurationSpec;
import dev.sluice.transforms.window.PaneLabel;
import dev.sluice.transforms.window.SlicedSlidingCombine;
import dev.sluice.transforms.window.WindowSpec;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Counts each word in sliding event-time windows: the seeds' Flink word count as a Beam pipeline.
 *
 * <pre>
 * read lines (file: glob or kafka:// topic) → parse {"ts","text"} (bad → dead letters) → words at the line's event
 * time → sliding windows (size, period, trigger) → count per word → JSON lines
 * {"word","count","window_start","window_end","pane","pane_index","final"}
 * </pre>
 *
 * <p>By default each window fires once, when the watermark passes its end, so exactly one line per
 * word and window reaches the output on every runner, {@code ON_TIME}, pane 0, final (see {@link
 * PaneLabel} for Flink batch).
 *
 * <p><b>Early and late counts</b> ({@code --trigger}, a stream only): with early firings a word's
 * window also gets {@code EARLY} lines before it closes. Panes accumulate by default: each line is
 * the count so far, the {@code ON_TIME} line the window's count. With {@code discarding} each line
 * counts only the records since the window's previous line, so a window's lines add up to its
 * count. With a lateness ({@code --trigger=lateness=5m}, or {@code --allowedLateness=5m}, which
 * discards), a record that arrives after its window closed but within that bound fires a {@code
 * LATE} line; a record further behind the watermark than that is a dead letter of kind {@code late}
 * (see {@link ReadParsed}), counted in no window. Kafka results are keyed by word and window, so a
 * compacted topic keeps each window's latest count. The Spark runner runs no windowed stream: such
 * a run is refused before launch.
 */
public final class SlidingWordCount {
  private SlidingWordCount() {}

  /** Options of {@code ./sluice run word-count}: input lines {"ts", "text"}, counts out. */
  public interface Options extends JobOptions, TriggerOptions {
    @Description("Window size, e.g. 30s, 10m, 1h")
    @Default.String("10m")
    String getWindowSize();

    void setWindowSize(String value);

    @Description("How often a new window starts (the slide), e.g. 1m; at most the window size")
    @Default.String("1m")
    String getWindowPeriod();

    void setWindowPeriod(String value);

    @Description(
        "In a stream, how long after a window closes its late records are still counted (in LATE"
            + " pane lines), e.g. 5m; 0 drops them. The same as --trigger=lateness=5m,discarding"
            + " (or --trigger's own lateness=)")
    @Default.String("0")
    String getAllowedLateness();

    void setAllowedLateness(String value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    WindowSpec windows = windowSpec(options);
    JobOptions.checkNumShards(options);
    ReadParsed<TextEvent> read =
        ReadParsed.from("--input", options.getInput(), TextEvent::parse, TextEvent.Coder.of())
            .withEventTime(TextEvent::timestamp)
            .withAllowedLateness(windows.allowedLateness());
    WriteLines write =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("word");
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<TextEvent> events = pipeline.apply("ReadTextEvents", read);
    events
        .parsed()
        .apply("CountWordsInSlidingWindows", new CountWords(windows))
        .apply("WriteCounts", write);
    events.deadLetters().apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /**
   * The windows and trigger of {@code --windowSize}, {@code --windowPeriod} and {@code --trigger},
   * with {@code --allowedLateness} (0 in any unit, or a duration) as the trigger's lateness.
   */
  static WindowSpec windowSpec(Options options) {
    WindowSpec spec =
        TriggerOptions.windowSpec(
            options.getWindowSize(), options.getWindowPeriod(), options, "word-count", null);
    Duration lateness;
    try {
      lateness = DurationSpec.parseOrZero("--allowedLateness", options.getAllowedLateness());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or 0 to drop late records", e);
    }
    if (!lateness.isLongerThan(Duration.ZERO)) {
      return spec;
    }
    if (spec.allowedLateness().isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "--allowedLateness: the lateness is given twice, here and in --trigger's lateness=; give"
              + " it once");
    }
    return spec.withAllowedLateness(lateness);
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run word-count} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /**
   * Timestamped text events in, one JSON result line per word, sliding window and pane out: counted
   * from slices for the default trigger ({@link SlicedSlidingCombine}), in plain sliding windows
   * for early or late panes.
   */
  public static final class CountWords
      extends PTransform<PCollection<TextEvent>, PCollection<String>> {
    private final WindowSpec windows;

    public CountWords(WindowSpec windows) {
      this.windows = windows;
    }

    @Override
    public PCollection<String> expand(PCollection<TextEvent> events) {
      return events
          .apply(
              "SplitIntoWords",
              FlatMapElements.into(TypeDescriptors.strings()).via(e -> Words.split(e.text())))
          .setCoder(StringUtf8Coder.of())
          .apply(
              "OnePerWord",
              MapElements.into(
                      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                  .via(word -> KV.of(word, 1L)))
          .apply("CountPerWord", SlicedSlidingCombine.perKey(Sum.ofLongs(), windows))
          .apply("FormatResults", ParDo.of(new FormatCountFn()));
    }
  }

  static final class FormatCountFn extends DoFn<KV<String, Long>, String> {
    @ProcessElement
    public void process(
        @Element KV<String, Long> count,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      out.output(
          ResultLine.create()
              .put("word", count.getKey())
              .put("count", count.getValue())
              .window(window, pane)
              .toJson());
    }
  }
}
