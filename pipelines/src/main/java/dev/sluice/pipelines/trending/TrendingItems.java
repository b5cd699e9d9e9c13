package dev.sluice.pipelines.trending;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.ResultLine;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.partition.SaltedCombine;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.PaneLabel;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
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
 * letters) → key by (category, item) → sliding windows (size, period) → tally clicks and distinct
 * users per item (HLL sketch; hot items salted over sub-keys on request) → key by category → top N
 * per category (clicks desc, then item id asc) → JSON lines
 * {"category","rank","item","clicks","distinct_users","window_start","window_end","pane"}
 * </pre>
 *
 * <p>Each window fires once, when the watermark passes its end (default trigger, no allowed
 * lateness), so exactly one top list per category and window reaches the output on every runner and
 * in batch as in streaming; the pane is {@code ON_TIME} (see {@link PaneLabel} for Flink batch).
 * Distinct users are exact for the few hundred users per item and window this job is tested with
 * (see {@link ClickTallyFn}).
 */
public final class TrendingItems {
  /** The longest top list a window may have. */
  public static final int MAX_TOP_N = 1_000;

  /** At most this many windows may hold one click (window size / period). */
  public static final long MAX_WINDOWS_PER_CLICK = 1_000;

  private TrendingItems() {}

  /** Options of {@code ./sluice run trending-items}: clicks in, top items per category out. */
  public interface Options extends JobOptions {
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
        "Hot-key remedy for very popular items: split each item's clicks over up to this many"
            + " salted sub-keys before merging them (exact either way); 0 turns it off, at most"
            + " 10000")
    @Default.Integer(0)
    int getHotKeyFanout();

    void setHotKeyFanout(int value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    JobOptions.SlidingWindow window =
        JobOptions.SlidingWindow.parse(options.getWindowSize(), options.getWindowPeriod());
    Duration size = window.size();
    Duration period = window.period();
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
              "--hotKeyFanout: must be 0 (off) or between 1 and %d sub-keys per item, was %d",
              SaltedCombine.MAX_FANOUT, options.getHotKeyFanout()));
    }
    JobOptions.checkNumShards(options);
    ReadParsed<ClickEvent> read =
        ReadParsed.from("--input", options.getInput(), ClickEvent::parse, ClickEvent.Coder.of())
            .withEventTime(ClickEvent::timestamp);
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
            new TopItems(size, period, options.getTopN(), options.getHotKeyFanout()))
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
   * top list out.
   */
  public static final class TopItems
      extends PTransform<PCollection<ClickEvent>, PCollection<String>> {
    private final Duration size;
    private final Duration period;
    private final int topN;
    private final int hotKeyFanout;

    /**
     * @param hotKeyFanout 0 for a plain per-item combine, else the fanout of {@link SaltedCombine}
     */
    public TopItems(Duration size, Duration period, int topN, int hotKeyFanout) {
      this.size = size;
      this.period = period;
      this.topN = topN;
      this.hotKeyFanout = hotKeyFanout;
    }

    @Override
    public PCollection<String> expand(PCollection<ClickEvent> clicks) {
      KvCoder<KV<String, String>, String> itemAndUser =
          KvCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), StringUtf8Coder.of());
      return clicks
          .apply(
              "KeyByCategoryAndItem",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()),
                          TypeDescriptors.strings()))
                  .via(c -> KV.of(KV.of(c.category(), c.item()), c.user())))
          .setCoder(itemAndUser)
          .apply(
              "SlidingWindows",
              Window.<KV<KV<String, String>, String>>into(SlidingWindows.of(size).every(period)))
          .apply("TallyClicksAndUsersPerItem", tally())
          .apply("KeyByCategory", ParDo.of(new KeyByCategoryFn()))
          .apply("TopItemsPerCategory", Top.perKey(topN, ItemScore.RANKING))
          .apply("FormatRanks", ParDo.of(new FormatRanksFn()));
    }

    private PTransform<
            PCollection<KV<KV<String, String>, String>>,
            PCollection<KV<KV<String, String>, ClickTallyFn.Tally>>>
        tally() {
      if (hotKeyFanout == 0) {
        return Combine.perKey(ClickTallyFn.create());
      }
      return SaltedCombine.<KV<String, String>, String, ClickTallyFn.Tally>perKey(
              ClickTallyFn.create())
          .withFanout(hotKeyFanout);
    }
  }

  /** (category, item) → tally becomes category → the item's score. */
  static final class KeyByCategoryFn
      extends DoFn<KV<KV<String, String>, ClickTallyFn.Tally>, KV<String, ItemScore>> {
    @ProcessElement
    public void process(
        @Element KV<KV<String, String>, ClickTallyFn.Tally> tally,
        OutputReceiver<KV<String, ItemScore>> out) {
      out.output(
          KV.of(
              tally.getKey().getKey(),
              new ItemScore(
                  tally.getKey().getValue(),
                  tally.getValue().clicks(),
                  tally.getValue().distinctUsers())));
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
