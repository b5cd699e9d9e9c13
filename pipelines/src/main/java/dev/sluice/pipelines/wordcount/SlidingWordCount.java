package dev.sluice.pipelines.wordcount;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.DurationSpec;
import dev.sluice.transforms.window.PaneLabel;
import dev.sluice.transforms.window.SlicedSlidingCombine;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Counts each word in sliding event-time windows: the seeds' Flink word count as a Beam pipeline.
 *
 * <pre>
 * read lines (file: glob or kafka:// topic) → parse {"ts","text"} (bad → dead letters) → words at the line's event
 * time → sliding windows (size, period) → count per word → JSON lines
 * {"word","count","window_start","window_end","pane"}
 * </pre>
 *
 * <p>Each window fires once, when the watermark passes its end (default trigger), so exactly one
 * line per word and window reaches the output on every runner; the pane is {@code ON_TIME} (see
 * {@link PaneLabel} for Flink batch). With {@code --allowedLateness} a stream also counts records
 * that arrive after their window closed but within that bound: each such record fires a {@code
 * LATE} pane line with the count of the late records since the last firing (panes discard), so the
 * ON_TIME count plus the window's LATE counts is the window's total; a record further behind the
 * watermark than that is a dead letter of kind {@code late} (see {@link ReadParsed}), counted in no
 * window. A batch has no late data. The Spark runner in streaming mode has no allowed lateness:
 * such a run is refused before launch.
 */
public final class SlidingWordCount {
  private SlidingWordCount() {}

  /** Options of {@code ./sluice run word-count}: input lines {"ts", "text"}, counts out. */
  public interface Options extends JobOptions {
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
            + " pane lines), e.g. 5m; 0 drops them. Not on --runner=spark in streaming")
    @Default.String("0")
    String getAllowedLateness();

    void setAllowedLateness(String value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    JobOptions.SlidingWindow window =
        JobOptions.SlidingWindow.parse(options.getWindowSize(), options.getWindowPeriod());
    Duration size = window.size();
    Duration period = window.period();
    Duration lateness = allowedLateness(options.getAllowedLateness());
    JobOptions.checkNumShards(options);
    ReadParsed<TextEvent> read =
        ReadParsed.from("--input", options.getInput(), TextEvent::parse, TextEvent.Coder.of())
            .withEventTime(TextEvent::timestamp)
            .withAllowedLateness(lateness);
    WriteLines write =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyField("word");
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<TextEvent> events = pipeline.apply("ReadTextEvents", read);
    events
        .parsed()
        .apply(
            "CountWordsInSlidingWindows",
            new CountWords(size, period).withAllowedLateness(lateness))
        .apply("WriteCounts", write);
    events.deadLetters().apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /** {@code --allowedLateness}: 0 (in any unit) or a duration. */
  static Duration allowedLateness(String text) {
    try {
      return DurationSpec.parseOrZero("--allowedLateness", text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or 0 to drop late records", e);
    }
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run word-count} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /** Timestamped text events in, one JSON result line per word and sliding window out. */
  public static final class CountWords
      extends PTransform<PCollection<TextEvent>, PCollection<String>> {
    private final Duration size;
    private final Duration period;
    private final Duration allowedLateness;

    public CountWords(Duration size, Duration period) {
      this(size, period, Duration.ZERO);
    }

    private CountWords(Duration size, Duration period, Duration allowedLateness) {
      this.size = size;
      this.period = period;
      this.allowedLateness = allowedLateness;
    }

    /** Counts records up to {@code lateness} behind a closed window, in LATE panes. */
    public CountWords withAllowedLateness(Duration lateness) {
      return new CountWords(size, period, lateness);
    }

    @Override
    public PCollection<String> expand(PCollection<TextEvent> events) {
      PCollection<String> words =
          events
              .apply(
                  "SplitIntoWords",
                  FlatMapElements.into(TypeDescriptors.strings()).via(e -> Words.split(e.text())))
              .setCoder(StringUtf8Coder.of());
      PCollection<KV<String, Long>> counts;
      if (allowedLateness.isLongerThan(Duration.ZERO)) {
        counts =
            words
                .apply(
                    "SlidingWindows",
                    Window.<String>into(SlidingWindows.of(size).every(period))
                        .withAllowedLateness(allowedLateness)
                        .discardingFiredPanes())
                .apply("CountPerWord", Count.perElement());
      } else {
        // One on-time pane per window: count each word once per period-long slice, then add up
        // a window's slices (a word is in size/period windows: counted once, not that often).
        counts =
            words
                .apply(
                    "OnePerWord",
                    MapElements.into(
                            TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                        .via(word -> KV.of(word, 1L)))
                .apply(
                    "CountPerWordInSlices",
                    SlicedSlidingCombine.perKey(Sum.ofLongs(), size, period));
      }
      return counts.apply("FormatResults", ParDo.of(new FormatCountFn()));
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
              .window(window.start().getMillis(), window.end().getMillis(), PaneLabel.of(pane))
              .toJson());
    }
  }
}
