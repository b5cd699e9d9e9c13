package dev.sluice.transforms.combine;

import java.util.Arrays;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * A {@code CombineFn} in two steps: {@link #partial} combines inputs into the fn's accumulator and
 * emits that accumulator; {@link #merge} merges such accumulators and extracts the fn's output.
 * {@code Combine.perKey(partial(fn))} then {@code Combine.perKey(merge(fn))} over any regrouping of
 * the partial results equals {@code Combine.perKey(fn)}, as a CombineFn's merge is associative and
 * commutative. {@code SaltedCombine} regroups salted sub-keys; {@code SlicedSlidingCombine}
 * regroups period-long slices into sliding windows.
 */
public final class CombineSteps {
  private CombineSteps() {}

  /**
   * Combines inputs with {@code fn} and emits the accumulator (compacted), coded by {@code
   * accumCoder}.
   */
  public static <InputT, AccumT> CombineFn<InputT, AccumT, AccumT> partial(
      CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> accumCoder) {
    return new PartialFn<>(fn, accumCoder);
  }

  /**
   * Merges accumulators of {@code fn} and extracts its output; {@code inputCoder} is the coder of
   * {@code fn}'s own input, which its output coder may depend on.
   */
  public static <InputT, AccumT, OutputT> CombineFn<AccumT, AccumT, OutputT> merge(
      CombineFn<InputT, AccumT, OutputT> fn, Coder<InputT> inputCoder) {
    return new MergeFn<>(fn, inputCoder);
  }

  static final class PartialFn<InputT, AccumT> extends CombineFn<InputT, AccumT, AccumT> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<AccumT> accumCoder;

    PartialFn(CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> accumCoder) {
      this.fn = fn;
      this.accumCoder = accumCoder;
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
      return fn.compact(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumCoder;
    }

    @Override
    public Coder<AccumT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumCoder;
    }
  }

  static final class MergeFn<InputT, AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<InputT, AccumT, OutputT> fn;
    private final Coder<InputT> inputCoder;

    MergeFn(CombineFn<InputT, AccumT, OutputT> fn, Coder<InputT> inputCoder) {
      this.fn = fn;
      this.inputCoder = inputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT partial) {
      // The running accumulator goes first: merges conventionally update the first one in place,
      // and a partial result is an element that others may share (a slice is in several windows).
      return fn.mergeAccumulators(Arrays.asList(accumulator, partial));
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
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> accumCoder) {
      return accumCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> accumCoder)
        throws CannotProvideCoderException {
      return fn.getDefaultOutputCoder(registry, inputCoder);
    }
  }
}
