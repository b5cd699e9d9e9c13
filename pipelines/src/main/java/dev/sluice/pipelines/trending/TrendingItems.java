package dev.sluice.pipelines.trending;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.pipelines.options.TriggerOptions;
import dev.sluice.transforms.partition.SaltedCombine;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.PaneLabel;
import dev.sluice.transforms.window.SlicedSlidingCombine;
import dev.sluice.transforms.window.WindowSpec;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Trending items, a recommendation signal: per category and sliding event-time window, the top
 * items by clicks, each with its click count and its distinct users.
 *
 * <pre>
 * read clicks (file: glob or kafka:// topic) → parse {"ts","user","item","category"} (bad → dead
 * letters) → key by category → sliding windows (size, period, trigger) → one combine per category:
 * clicks and distinct users per item (HLL sketch), then the top N (clicks desc, then item id asc);
 * hot categories salted over sub-keys on request → JSON lines
 * {"category","rank","item","clicks","distinct_users","window_start","window_end","pane"}
 * </pre>
 *
 * <p>By default each window fires once, when the watermark passes its end, so exactly one top list
 * per category and window reaches the output on every runner and in batch as in streaming; the pane
 * is {@code ON_TIME}, pane 0, final (see {@link PaneLabel} for Flink batch).
 *
 * <p><b>Early and late top lists</b> ({@code --trigger}, a stream only): with early firings (e.g.
 * {@code --trigger=early=1m}) each category's window also gets {@code EARLY} top lists before it
 * closes, each ranked over the window's clicks so far (panes accumulate; {@code discarding} is
 * refused: a pane's new clicks alone do not rank the window's items); with a lateness, {@code LATE}
 * lists re-rank the window with its late clicks. Kafka results are keyed by category, rank and
 * window, so a compacted topic holds each window's latest list (a later list is never shorter:
 * clicks only add items). {@code --hotKeyFanout} takes no trigger. Distinct users are exact for the
 * few hundred users per item and window this job is tested with (see {@link ClickTallyFn}).
 */
public final class TrendingItems {
  /** The longest top list a window may have. */
  public static final int MAX_TOP_N = 1_000;

  /** At most this many windows may hold one click (window size / period). */
  public static final long MAX_WINDOWS_PER_CLICK = 1_000;

  private static final String HOT_KEYS_WITH_TRIGGER =
      "--hotKeyFanout: salted sub-keys take no --trigger (their partial top lists are grouped"
          + " twice, and an early pane would count each item again); leave out one of the two";

  private TrendingItems() {}

  /** Options of {@code ./sluice run trending-items}: clicks in, top items per category out. */
  public interface Options extends JobOptions, TriggerOptions {
    @Description("Window size, e.g. 30m, 1h")
    @Default.String("30m")
    String getWindowSize();

    void setWindowSize(String value);

    @Description("How often a new window starts (the slide), e.g. 5m; at most the window size")
    @Default.String("5m")
    String getWindowPeriod();

    void setWindowPeriod(String value);

    @Description("How many items each category's top list holds, 1 to 1000")
    @Default.Integer(5)
    int getTopN();

    void setTopN(int value);

    @Description(
        "Hot-key remedy for very busy categories: split each category's clicks over up to this many"
            + " salted sub-keys before merging them (exact either way); 0 turns it off, at most"
            + " 10000")
    @Default.Integer(0)
    int getHotKeyFanout();

    void setHotKeyFanout(int value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    WindowSpec windows =
        TriggerOptions.windowSpec(
            options.getWindowSize(),
            options.getWindowPeriod(),
            options,
            "trending-items",
            "a pane's new clicks alone do not rank the window's items");
    Duration size = windows.size();
    Duration period = windows.every();
    long windowsPerClick = (size.getMillis() + period.getMillis() - 1) / period.getMillis();
    if (windowsPerClick > MAX_WINDOWS_PER_CLICK) {
      throw new IllegalArgumentException(
          String.format(
              "--windowPeriod: %s puts each click in %d windows of --windowSize %s; at most %d"
                  + " allowed, use a longer period",
              options.getWindowPeriod(),
              windowsPerClick,
              options.getWindowSize(),
              MAX_WINDOWS_PER_CLICK));
    }
    if (options.getTopN() < 1 || options.getTopN() > MAX_TOP_N) {
      throw new IllegalArgumentException(
          String.format("--topN: must be between 1 and %d, was %d", MAX_TOP_N, options.getTopN()));
    }
    if (options.getHotKeyFanout() < 0 || options.getHotKeyFanout() > SaltedCombine.MAX_FANOUT) {
      throw new IllegalArgumentException(
          String.format(
              "--hotKeyFanout: must be 0 (off) or between 1 and %d sub-keys per category, was %d",
              SaltedCombine.MAX_FANOUT, options.getHotKeyFanout()));
    }
    if (options.getHotKeyFanout() > 0 && !windows.hasDefaultTrigger()) {
      throw new IllegalArgumentException(HOT_KEYS_WITH_TRIGGER);
    }
    JobOptions.checkNumShards(options);
    ReadParsed<ClickEvent> read =
        ReadParsed.from("--input", options.getInput(), ClickEvent::parse, ClickEvent.Coder.of())
            .withEventTime(ClickEvent::timestamp)
            .withAllowedLateness(windows.allowedLateness());
    WriteLines write =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("category,rank");
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    ParseOrDeadLetter.Result<ClickEvent> clicks = pipeline.apply("ReadClicks", read);
    clicks
        .parsed()
        .apply(
            "TopItemsPerCategory",
            new TopItems(windows, options.getTopN(), options.getHotKeyFanout()))
        .apply("WriteTopItems", write);
    clicks.deadLetters().apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run trending-items} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /**
   * Timestamped clicks in; per category and sliding window, one JSON result line per rank of the
   * top list out. One combine per category and window ({@link CategoryTopFn}): from slices with the
   * default trigger ({@link SlicedSlidingCombine}), in plain sliding windows with early or late
   * panes, over salted sub-keys with a hot-key fanout (default trigger only: salting groups twice).
   */
  public static final class TopItems
      extends PTransform<PCollection<ClickEvent>, PCollection<String>> {
    private final WindowSpec windows;
    private final int topN;
    private final int hotKeyFanout;

    /**
     * @param hotKeyFanout 0 for one combine per category, else the fanout of {@link SaltedCombine}
     *     (the default trigger only)
     */
    public TopItems(WindowSpec windows, int topN, int hotKeyFanout) {
      if (hotKeyFanout > 0 && !windows.hasDefaultTrigger()) {
        throw new IllegalArgumentException(HOT_KEYS_WITH_TRIGGER);
      }
      this.windows = windows;
      this.topN = topN;
      this.hotKeyFanout = hotKeyFanout;
    }

    @Override
    public PCollection<String> expand(PCollection<ClickEvent> clicks) {
      PCollection<KV<String, KV<String, String>>> byCategory =
          clicks
              .apply(
                  "KeyByCategory",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.strings(),
                              TypeDescriptors.kvs(
                                  TypeDescriptors.strings(), TypeDescriptors.strings())))
                      .via(c -> KV.of(c.category(), KV.of(c.item(), c.user()))))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), CategoryTopFn.clickCoder()));
      PCollection<KV<String, List<ItemScore>>> tops =
          hotKeyFanout == 0
              ? byCategory.apply(
                  "TopItemsPerCategory",
                  SlicedSlidingCombine.perKey(CategoryTopFn.of(topN), windows))
              : byCategory
                  .apply("SlidingWindows", windows.<KV<String, KV<String, String>>>window())
                  .apply(
                      "TopItemsPerCategory",
                      SaltedCombine.<String, KV<String, String>, List<ItemScore>>perKey(
                              CategoryTopFn.of(topN))
                          .withFanout(hotKeyFanout));
      return tops.apply("FormatRanks", ParDo.of(new FormatRanksFn()));
    }
  }

  /** One line per rank of a category's top list, with the window and the pane. */
  static final class FormatRanksFn extends DoFn<KV<String, List<ItemScore>>, String> {
    @ProcessElement
    public void process(
        @Element KV<String, List<ItemScore>> top,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      int rank = 0;
      for (ItemScore score : top.getValue()) {
        rank++;
        out.output(
            ResultLine.create()
                .put("category", top.getKey())
                .put("rank", rank)
                .put("item", score.item())
                .put("clicks", score.clicks())
                .put("distinct_users", score.distinctUsers())
                .window(window, pane)
                .toJson());
      }
    }
  }
}
