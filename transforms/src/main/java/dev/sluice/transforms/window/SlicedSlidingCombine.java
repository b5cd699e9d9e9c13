package dev.sluice.transforms.window;

import static org.apache.beam.sdk.util.Preconditions.checkArgumentNotNull;

import java.util.List;
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
 * each element is first combined into its one period-long slice (fixed windows of the period),
 * and each window's result is then merged from the {@code size / period} slices it covers.
 *
 * <p>Why: in sliding windows every element belongs to {@code size / period} windows, so the plain
 * form combines (and, before combiner lifting, shuffles) every element that many times; here each
 * element is combined once, and only the slices' accumulators — one per key and period — are
 * copied into the windows. Same results, same windows and timestamps (the end of each window), one
 * {@code ON_TIME} pane per window. Measured by {@code ./sluice bench} (docs/benchmarks.md).
 *
 * <p>It is exact for the default trigger and no allowed lateness, and when the size is a multiple
 * of the period (windows aligned on the period, offset zero); otherwise it is the plain {@code
 * Window.into(SlidingWindows) + Combine.perKey}. Late firings and early panes need the plain form:
 * a slice's late pane would re-fire windows the plain form would already have dropped.
 */
public final class SlicedSlidingCombine<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  private final CombineFn<InputT, AccumT, OutputT> fn;
  private final Duration size;
  private final Duration period;

  private SlicedSlidingCombine(
      CombineFn<InputT, AccumT, OutputT> fn, Duration size, Duration period) {
    this.fn = fn;
    this.size = size;
    this.period = period;
  }

  /** Combines each key's values with {@code fn} in sliding windows of {@code size} every {@code period}. */
  public static <K, InputT, AccumT, OutputT> SlicedSlidingCombine<K, InputT, AccumT, OutputT> perKey(
      CombineFn<InputT, AccumT, OutputT> fn, Duration size, Duration period) {
    checkArgumentNotNull(fn, "fn");
    if (!size.isLongerThan(Duration.ZERO) || !period.isLongerThan(Duration.ZERO)
        || period.isLongerThan(size)) {
      throw new IllegalArgumentException(
          "sliding windows need 0 < period <= size, were size " + size + " and period " + period);
    }
    return new SlicedSlidingCombine<>(fn, size, period);
  }

  /** Whether the windows can be built from slices (the size a multiple of the period). */
  public boolean isSliced() {
    return size.getMillis() % period.getMillis() == 0;
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    Window<KV<K, InputT>> sliding = Window.into(SlidingWindows.of(size).every(period));
    if (!isSliced()) {
      return input.apply("SlidingWindows", sliding).apply("CombinePerKey", Combine.perKey(fn));
    }
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException("the input needs a KvCoder, was " + input.getCoder());
    }
    Coder<InputT> valueCoder = ((KvCoder<K, InputT>) input.getCoder()).getValueCoder();
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<AccumT> accumulatorCoder;
    Coder<OutputT> outputCoder;
    try {
      accumulatorCoder = fn.getAccumulatorCoder(registry, valueCoder);
      outputCoder = fn.getDefaultOutputCoder(registry, valueCoder);
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(
          "no coder for the accumulator or output of " + fn.getClass().getName() + ": "
              + e.getMessage(), e);
    }
    return input
        .apply("Slices", Window.into(FixedWindows.of(period)))
        .apply("CombineSlices", Combine.perKey(new SliceFn<>(fn, accumulatorCoder)))
        .apply("SlidingWindows", Window.into(SlidingWindows.of(size).every(period)))
        .apply(
            "MergeSlices",
            Combine.perKey(new MergeSlicesFn<>(fn, accumulatorCoder, outputCoder)));
  }

  /** The first step: the values of one slice combined into the fn's accumulator, kept as is. */
  static final class SliceFn<InputT, AccumT> extends CombineFn<InputT, AccumT, AccumT> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<AccumT> accumulatorCoder;

    SliceFn(CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> accumulatorCoder) {
      this.fn = fn;
      this.accumulatorCoder = accumulatorCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, InputT input) {
      return fn.addInput(accumulator, input);
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public AccumT compact(AccumT accumulator) {
      return fn.compact(accumulator);
    }

    @Override
    public AccumT extractOutput(AccumT accumulator) {
      return accumulator;
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumulatorCoder;
    }

    @Override
    public Coder<AccumT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumulatorCoder;
    }
  }

  /** The second step: a window's slices merged, then the fn's output. */
  static final class MergeSlicesFn<AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<?, AccumT, OutputT> fn;
    private final Coder<AccumT> accumulatorCoder;
    private final Coder<OutputT> outputCoder;

    MergeSlicesFn(
        CombineFn<?, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder, Coder<OutputT> outputCoder) {
      this.fn = fn;
      this.accumulatorCoder = accumulatorCoder;
      this.outputCoder = outputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT slice) {
      // The window's own accumulator first: merge functions may update the first in place, and
      // the slice is an element other windows share.
      return fn.mergeAccumulators(List.of(accumulator, slice));
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return accumulatorCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return outputCoder;
    }
  }
}
