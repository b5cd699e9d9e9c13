package dev.sluice.transforms.distinct;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * What every sketch-building combine shares: accumulators merge by union, the output is the
 * accumulator's canonical sketch, and both have fixed deterministic coders. Subclasses say how an
 * accumulator starts and how one input is added.
 */
abstract class SketchCombineFn<InputT>
    extends CombineFn<InputT, SketchAccumulator, DistinctSketch> {
  private static final long serialVersionUID = 1L;

  @Override
  public SketchAccumulator mergeAccumulators(Iterable<SketchAccumulator> accumulators) {
    SketchAccumulator merged = createAccumulator();
    for (SketchAccumulator accumulator : accumulators) {
      merged.addAll(accumulator);
    }
    return merged;
  }

  @Override
  public DistinctSketch extractOutput(SketchAccumulator accumulator) {
    return accumulator.result();
  }

  @Override
  public Coder<SketchAccumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<InputT> inputCoder) {
    return SketchAccumulator.Coder.of();
  }

  @Override
  public Coder<DistinctSketch> getDefaultOutputCoder(
      CoderRegistry registry, Coder<InputT> inputCoder) {
    return DistinctSketch.Coder.of();
  }
}
