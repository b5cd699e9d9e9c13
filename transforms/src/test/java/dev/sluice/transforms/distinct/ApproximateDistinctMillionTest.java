package dev.sluice.transforms.distinct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineFns;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A million distinct values at two precisions, in one pass: the public {@link
 * ApproximateDistinct.SketchFn} at {@code lgK} 10 and 14, composed into one combine so that the
 * million elements are read and grouped once. {@code GenerateSequence} splits the range into
 * bundles; each runner sketches them separately and merges the partial sketches. The exact count is
 * 10^6 by construction. The measured errors are printed ("ACCURACY ...").
 */
@Tag("pipeline")
@ExtendWith(TestPipelineExtension.class)
class ApproximateDistinctMillionTest {
  private static final long N = 1_000_000L;
  private static final TupleTag<DistinctSketch> LG_K_10 = new TupleTag<>("lgK10");
  private static final TupleTag<DistinctSketch> LG_K_14 = new TupleTag<>("lgK14");

  @Test
  void aMillionDistinctValuesAreEstimatedWithinThreeStandardErrorsAtLgK10And14(TestPipeline p) {
    PAssert.thatSingleton(
            p.apply("Values", GenerateSequence.from(0).to(N))
                .apply(
                    "SketchTwice",
                    Combine.globally(
                        CombineFns.compose()
                            .with(
                                new Identity(),
                                ApproximateDistinct.SketchFn.of(VarLongCoder.of()).withLgK(10),
                                LG_K_10)
                            .with(
                                new Identity(),
                                ApproximateDistinct.SketchFn.of(VarLongCoder.of()).withLgK(14),
                                LG_K_14))))
        .satisfies(new WithinThreeStandardErrors());
    p.run().waitUntilFinish();
  }

  static final class Identity extends SimpleFunction<Long, Long> {
    @Override
    public Long apply(Long value) {
      return value;
    }
  }

  static final class WithinThreeStandardErrors
      implements SerializableFunction<CombineFns.CoCombineResult, Void> {
    @Override
    public Void apply(CombineFns.CoCombineResult sketches) {
      check(10, sketches.get(LG_K_10));
      check(14, sketches.get(LG_K_14));
      return null;
    }

    private static void check(int lgK, DistinctSketch sketch) {
      long estimate = Math.round(sketch.estimate());
      double relativeError = (estimate - N) / (double) N;
      double rse = ApproximateDistinct.relativeStandardError(lgK);
      System.out.printf(
          "ACCURACY lgK=%d n=%d estimate=%d relativeError=%+.4f%% bound(3*RSE)=%.4f%%%n",
          lgK, N, estimate, 100 * relativeError, 300 * rse);
      assertThat("lgK of the sketch", sketch.lgK(), lessThanOrEqualTo(lgK));
      assertThat(
          "relative error at n=10^6, lgK=" + lgK,
          Math.abs(relativeError),
          lessThanOrEqualTo(3 * rse));
    }
  }
}
