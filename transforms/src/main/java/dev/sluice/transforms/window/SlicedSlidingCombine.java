package dev.sluice.transforms.window;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import dev.sluice.transforms.combine.CombineSteps;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * {@code Combine.perKey(fn)} over sliding event-time windows (size, period), computed from slices:
 * each element is first combined into its one period-long slice (fixed windows of the period), and
 * each window's result is then merged from the {@code size / period} slices it covers.
 *
 * <p>Why: in sliding windows every element belongs to {@code size / period} windows, so the plain
 * form combines (and, before combiner lifting, shuffles) every element that many times; here each
 * element is combined once, and only the slices' accumulators — one per key and period — are copied
 * into the windows. Same results, same windows and timestamps (the end of each window), one {@code
 * ON_TIME} pane per window. Measured by {@code ./sluice bench} (docs/benchmarks.md).
 *
 * <p>It is exact for the default trigger and no allowed lateness, and when the size is a multiple
 * of the period (windows aligned on the period, offset zero); otherwise it is the plain {@code
 * Window.into(spec.window()) + Combine.perKey}. Early and late panes ({@link WindowSpec} with a
 * trigger) take the plain form: a slice's early or late pane would reach the windows as one more
 * element, and an accumulating window would count an accumulating slice's panes twice. A bounded
 * input is windowed with the default trigger ({@link WindowSpec#windowFor}), so a batch is always
 * sliced.
 */
public final class SlicedSlidingCombine<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  private final CombineFn<InputT, AccumT, OutputT> fn;
  private final WindowSpec spec;

  private SlicedSlidingCombine(CombineFn<InputT, AccumT, OutputT> fn, WindowSpec spec) {
    this.fn = fn;
    this.spec = spec;
  }

  /**
   * Combines each key's values with {@code fn} in sliding windows of {@code size} every {@code
   * period}.
   */
  public static <K, InputT, AccumT, OutputT>
      SlicedSlidingCombine<K, InputT, AccumT, OutputT> perKey(
          CombineFn<InputT, AccumT, OutputT> fn, Duration size, Duration period) {
    checkArgumentNotNull(fn, "fn");
    if (!size.isLongerThan(Duration.ZERO)
        || !period.isLongerThan(Duration.ZERO)
        || period.isLongerThan(size)) {
      throw new IllegalArgumentException(
          "sliding windows need 0 < period <= size, were size " + size + " and period " + period);
    }
    return perKey(fn, WindowSpec.sliding(size, period));
  }

  /**
   * Combines each key's values with {@code fn} in the windows, with the trigger, of {@code spec}.
   */
  public static <K, InputT, AccumT, OutputT>
      SlicedSlidingCombine<K, InputT, AccumT, OutputT> perKey(
          CombineFn<InputT, AccumT, OutputT> fn, WindowSpec spec) {
    checkArgumentNotNull(fn, "fn");
    checkArgumentNotNull(spec, "spec");
    return new SlicedSlidingCombine<>(fn, spec);
  }

  /**
   * Whether a stream's windows are built from slices: the default trigger, and the size a multiple
   * of the period (a batch needs only the latter).
   */
  public boolean isSliced() {
    return spec.hasDefaultTrigger() && isSlicedSize();
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    WindowSpec windows = spec.windowFor(input);
    if (!windows.hasDefaultTrigger() || !isSlicedSize()) {
      return input
          .apply("SlidingWindows", windows.<KV<K, InputT>>window())
          .apply("CombinePerKey", Combine.perKey(fn));
    }
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException("the input needs a KvCoder, was " + input.getCoder());
    }
    Coder<InputT> valueCoder = ((KvCoder<K, InputT>) input.getCoder()).getValueCoder();
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<AccumT> accumulatorCoder;
    try {
      accumulatorCoder = fn.getAccumulatorCoder(registry, valueCoder);
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(
          "no coder for the accumulator of " + fn.getClass().getName() + ": " + e.getMessage(), e);
    }
    return input
        .apply("Slices", Window.into(FixedWindows.of(spec.every())))
        .apply("CombineSlices", Combine.perKey(CombineSteps.partial(fn, accumulatorCoder)))
        .apply("SlidingWindows", Window.into(SlidingWindows.of(spec.size()).every(spec.every())))
        .apply("MergeSlices", Combine.perKey(CombineSteps.merge(fn, valueCoder)));
  }

  private boolean isSlicedSize() {
    return spec.size().getMillis() % spec.every().getMillis() == 0;
  }
}
