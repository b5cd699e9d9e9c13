package dev.sluice.transforms.join;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Joins two streams per event-time window: both inputs are put into the same windows, then joined
 * by key within each window with {@link Join}'s semantics. Records of one key in different windows
 * never meet.
 *
 * <pre>{@code
 * PCollection<KV<String, Joined<Click, Impression>>> rows =
 *     clicks.apply(
 *         "JoinImpressionsPerMinute",
 *         WindowedJoin.into(FixedWindows.of(Duration.standardMinutes(1)))
 *             .withAllowedLateness(Duration.standardMinutes(10))
 *             .inner(impressions));
 * }</pre>
 *
 * <p>Firing: each window fires once when the watermark passes its end (the on-time pane). Without
 * allowed lateness (the default) that is the only pane, and later records of the window are
 * dropped. With {@link #withAllowedLateness}, records that come late, but within the allowed
 * lateness, fire their key's window again (a late pane per arrival, or per bundle of arrivals), and
 * panes <em>accumulate</em>: a late pane restates the whole join of that key in that window so far,
 * including the rows of earlier panes, so the last pane of a key and window is the answer.
 * (Discarding panes would be wrong for a join: a late left value could no longer meet the right
 * values of an earlier pane.) Beam's capability matrix lists neither allowed lateness nor
 * accumulating panes for the Spark runner in streaming mode; without allowed lateness the join runs
 * on every runner.
 *
 * <p>This transform sets the windows and trigger itself. For inputs the caller has already windowed
 * (or triggered) the same way, apply {@link Join} directly: it joins per window too.
 */
public final class WindowedJoin {
  private final WindowFn<Object, ?> windowFn;
  private final Duration allowedLateness;

  private WindowedJoin(WindowFn<Object, ?> windowFn, Duration allowedLateness) {
    this.windowFn = windowFn;
    this.allowedLateness = allowedLateness;
  }

  /**
   * Joins in the windows of {@code windowFn}, for example {@code FixedWindows}, {@code
   * SlidingWindows} or {@code Sessions}.
   *
   * @throws IllegalArgumentException for {@link GlobalWindows}: that is a plain {@link Join}
   */
  public static WindowedJoin into(WindowFn<Object, ?> windowFn) {
    requireNonNull(windowFn, "WindowedJoin.into: windowFn must not be null");
    if (windowFn instanceof GlobalWindows) {
      throw new IllegalArgumentException(
          "WindowedJoin.into: windowFn was GlobalWindows, which has no event-time windows;"
              + " use Join for bounded inputs in the global window");
    }
    return new WindowedJoin(windowFn, Duration.ZERO);
  }

  /**
   * Accepts records up to {@code lateness} behind the watermark and re-fires their window, with
   * accumulating panes (see the class comment). Zero, the default, drops every late record.
   *
   * @throws IllegalArgumentException if {@code lateness} is negative
   */
  public WindowedJoin withAllowedLateness(Duration lateness) {
    requireNonNull(lateness, "WindowedJoin.withAllowedLateness: lateness must not be null");
    if (lateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "WindowedJoin.withAllowedLateness: lateness must be zero or more, was " + lateness);
    }
    return new WindowedJoin(windowFn, lateness);
  }

  /** Rows only for keys on both sides within a window. */
  public <K, L, R> TwoWay<K, L, R> inner(PCollection<KV<K, R>> right) {
    return new TwoWay<>(this, Join.Kind.INNER, right);
  }

  /** Every left value; the right side is absent where its window has no right value. */
  public <K, L, R> TwoWay<K, L, R> leftOuter(PCollection<KV<K, R>> right) {
    return new TwoWay<>(this, Join.Kind.LEFT_OUTER, right);
  }

  /** Every right value; the left side is absent where its window has no left value. */
  public <K, L, R> TwoWay<K, L, R> rightOuter(PCollection<KV<K, R>> right) {
    return new TwoWay<>(this, Join.Kind.RIGHT_OUTER, right);
  }

  /** Every value of both sides; the side a key lacks in a window is absent. */
  public <K, L, R> TwoWay<K, L, R> fullOuter(PCollection<KV<K, R>> right) {
    return new TwoWay<>(this, Join.Kind.FULL_OUTER, right);
  }

  <T> Window<T> windowing() {
    Window<T> window =
        Window.<T>into(windowFn)
            .triggering(DefaultTrigger.of())
            .withAllowedLateness(allowedLateness);
    // With no lateness there is a single pane per key and window; discarding then runs everywhere.
    return allowedLateness.isLongerThan(Duration.ZERO)
        ? window.accumulatingFiredPanes()
        : window.discardingFiredPanes();
  }

  /**
   * The windowed join of the input (left) with the collection given to the factory (right).
   *
   * <pre>{@code
   * WindowedJoin.TwoWay<String, Click, Impression> join =
   *     WindowedJoin.into(FixedWindows.of(Duration.standardMinutes(1))).leftOuter(impressions);
   * PCollection<KV<String, Joined<Click, Impression>>> rows = clicks.apply("PerMinute", join);
   * }</pre>
   */
  public static final class TwoWay<K, L, R>
      extends PTransform<PCollection<KV<K, L>>, PCollection<KV<K, Joined<L, R>>>> {
    private static final long serialVersionUID = 1L;

    private final transient WindowedJoin config;
    private final Join.Kind kind;
    private final transient PCollection<KV<K, R>> right;

    TwoWay(WindowedJoin config, Join.Kind kind, PCollection<KV<K, R>> right) {
      this.config = config;
      this.kind = kind;
      this.right =
          requireNonNull(right, "WindowedJoin." + kind.factory + ": right must not be null");
    }

    @Override
    public PCollection<KV<K, Joined<L, R>>> expand(PCollection<KV<K, L>> left) {
      JoinInputs.checkSamePipeline("WindowedJoin." + kind.factory, "right", left, right);
      PCollection<KV<K, L>> windowedLeft = left.apply("WindowLeft", config.windowing());
      PCollection<KV<K, R>> windowedRight = right.apply("WindowRight", config.windowing());
      return windowedLeft.apply("Join", new Join.TwoWay<>(kind, windowedRight));
    }

    @Override
    protected String getKindString() {
      return "WindowedJoin." + kind.factory;
    }
  }
}
