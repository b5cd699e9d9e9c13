package dev.sluice.transforms.distinct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sketch value, its canonical form and the combine functions, without a pipeline. */
class DistinctSketchTest {
  private static final VarLongCoder LONGS = VarLongCoder.of();

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().collect(Collectors.toList());
  }

  private static DistinctSketch sketchOf(int lgK, List<Long> values) {
    return ApproximateDistinct.SketchFn.of(LONGS).withLgK(lgK).apply(values);
  }

  /** 3 x the documented relative standard error, as an absolute tolerance around {@code n}. */
  private static double threeSigma(int lgK, long n) {
    return 3 * ApproximateDistinct.relativeStandardError(lgK) * n;
  }

  // Sizes in each of DataSketches' modes at lgK 12: list (up to 7), hash set (up to 384), dense.
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 300, 5_000})
  void theSameSetGivesTheSameSketchWhateverTheOrderAndMergeTree(int n) {
    List<Long> values = range(0, n);
    List<Long> withRepeats = new ArrayList<>(values);
    withRepeats.addAll(values.subList(0, n / 3));
    Collections.shuffle(withRepeats, new Random(n));
    DistinctSketch inOrder = sketchOf(12, values);

    // Shards the shuffled input in several ways, merges the partial accumulators in several
    // orders, and checks every result equals the in-order sketch: bytes, equals() and estimate.
    CombineFnTester.testCombineFn(
        ApproximateDistinct.SketchFn.of(LONGS).withLgK(12), withRepeats, inOrder);
    Collections.reverse(withRepeats);
    assertThat(sketchOf(12, withRepeats).toByteArray(), equalTo(inOrder.toByteArray()));
  }

  @Test
  void mergingSketchesDoesNotDependOnTheOrderOrGroupingOfTheMerges() {
    List<DistinctSketch> parts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      parts.add(sketchOf(12, range(i * 3_000L, i * 3_000L + 5_000))); // overlapping ranges
    }
    DistinctSketch all = sketchOf(12, range(0, 11 * 3_000L + 5_000));
    CombineFnTester.testCombineFn(MergeSketches.combineFn(), parts, all);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 100, 384})
  void aSetOfFewerThanATenthOfKIsCountedExactly(int n) {
    // Up to about k/10 (384 at lgK 12) DataSketches keeps the hashes themselves.
    List<Long> values = range(1_000, 1_000 + n);
    values.addAll(range(1_000, 1_000 + n / 2)); // repeats change nothing
    assertThat(Math.round(sketchOf(12, values).estimate()), equalTo((long) n));
  }

  @Test
  void emptyEncodingsAreCountedToo() {
    // StringUtf8Coder encodes "" to zero bytes, which DataSketches would ignore without a marker.
    DistinctSketch sketch =
        ApproximateDistinct.SketchFn.of(StringUtf8Coder.of()).apply(Arrays.asList("", "", "a"));
    assertThat(Math.round(sketch.estimate()), equalTo(2L));
  }

  @Test
  void mergeEstimatesTheUnionNotTheSum() {
    DistinctSketch a = sketchOf(12, range(0, 60_000));
    DistinctSketch b = sketchOf(12, range(40_000, 100_000));
    DistinctSketch union = a.merge(b);
    // Known by construction: the union of [0, 60 000) and [40 000, 100 000) has 100 000 values.
    assertThat(union.estimate(), closeTo(100_000, threeSigma(12, 100_000)));
    assertThat(union.estimate(), lessThan(120_000 - threeSigma(12, 120_000))); // not a sum
    assertThat(union, equalTo(b.merge(a)));
    assertThat(union, equalTo(sketchOf(12, range(0, 100_000))));
  }

  @Test
  void mergingPrecisionsFoldsDownToTheSmallerLgKExactly() {
    DistinctSketch fine = sketchOf(14, range(0, 70_000));
    DistinctSketch coarse = sketchOf(11, range(50_000, 90_000));
    DistinctSketch merged = fine.merge(coarse);
    assertThat(merged.lgK(), equalTo(11));
    assertThat(merged, equalTo(coarse.merge(fine)));
    // As if everything had been sketched at lgK 11 from the start.
    assertThat(merged, equalTo(sketchOf(11, range(0, 90_000))));
  }

  @Test
  void mergingNothingGivesAnEmptySketchThatLowersNoPrecision() {
    DistinctSketch none = MergeSketches.combineFn().apply(Collections.emptyList());
    assertThat(none.isEmpty(), equalTo(true));
    assertThat(none.estimate(), equalTo(0.0));
    DistinctSketch some = sketchOf(14, range(0, 20_000));
    assertThat(none.merge(some), equalTo(some));
  }

  @Test
  void confidenceBoundsBracketTheTrueCount() {
    DistinctSketch sketch = sketchOf(12, range(0, 200_000));
    assertThat(sketch.lowerBound(3), lessThan(200_000.0));
    assertThat(sketch.upperBound(3), greaterThan(200_000.0));
    assertThat(sketch.lowerBound(3), lessThan(sketch.lowerBound(1)));
    assertThat(sketch.upperBound(1), lessThan(sketch.upperBound(3)));
  }

  @Test
  void relativeStandardErrorIsDataSketchesFactorOverRootK() {
    // sqrt(3 ln 2 - 1) = 1.03896...; k = 4096 registers at lgK 12.
    assertThat(ApproximateDistinct.relativeStandardError(12), closeTo(1.03896 / 64, 1e-6));
    assertThat(ApproximateDistinct.relativeStandardError(16), closeTo(1.03896 / 256, 1e-6));
  }

  @Test
  void theImageIsACompactDataSketchesSketchOtherLibrariesCanRead() {
    DistinctSketch sketch = sketchOf(13, range(0, 30_000));
    HllSketch read = HllSketch.heapify(sketch.toByteArray());
    assertThat(read.getLgConfigK(), equalTo(13));
    assertThat(read.getTgtHllType(), equalTo(TgtHllType.HLL_8));
    assertThat(read.getEstimate(), equalTo(sketch.estimate()));
    assertThat(sketch.toByteArray().length, lessThanOrEqualTo((1 << 13) + 40));
  }

  @Test
  void aSketchBuiltDirectlyWithDataSketchesReadsBackAsTheSameCanonicalSketch() {
    // Built independently with DataSketches, in another type (HLL_4) and order, hashing the same
    // bytes Sluice hashes: the marker byte and the element's encoding.
    for (int n : new int[] {50, 40_000}) {
      List<Long> values = range(0, n);
      Collections.shuffle(values, new Random(7));
      HllSketch direct = new HllSketch(12, TgtHllType.HLL_4);
      for (long v : values) {
        direct.update(ElementEncoding.of(LONGS, v));
      }
      DistinctSketch read = DistinctSketch.fromByteArray(direct.toUpdatableByteArray());
      assertThat(read, equalTo(sketchOf(12, range(0, n))));
    }
  }

  @Test
  void sketchesOfDifferentSetsDiffer() {
    Set<DistinctSketch> sketches = new HashSet<>();
    sketches.add(sketchOf(12, range(0, 100)));
    sketches.add(sketchOf(12, range(1, 101)));
    sketches.add(sketchOf(12, range(0, 10_000)));
    sketches.add(sketchOf(12, range(1, 10_001)));
    sketches.add(sketchOf(13, range(0, 10_000)));
    assertThat(sketches.size(), equalTo(5));
    assertThat(sketchOf(12, range(0, 100)), not(equalTo(DistinctSketch.empty(12))));
  }

  @Test
  void coderIsDeterministicAndRoundTrips() throws Exception {
    List<Long> values = range(0, 9_000);
    DistinctSketch forward = sketchOf(12, values);
    Collections.shuffle(values, new Random(3));
    DistinctSketch shuffled = sketchOf(12, values);
    CoderProperties.coderDeterministic(DistinctSketch.Coder.of(), forward, shuffled);
    CoderProperties.coderDecodeEncodeEqual(DistinctSketch.Coder.of(), forward);
    CoderProperties.coderDecodeEncodeEqual(DistinctSketch.Coder.of(), DistinctSketch.empty(4));
    CoderProperties.coderConsistentWithEquals(DistinctSketch.Coder.of(), forward, shuffled);
    DistinctSketch.Coder.of().verifyDeterministic();
  }

  @Test
  void accumulatorsSurviveEncodingBetweenBundles() throws Exception {
    ApproximateDistinct.SketchFn<Long> fn = ApproximateDistinct.SketchFn.of(LONGS).withLgK(10);
    SketchAccumulator first = fn.createAccumulator();
    for (long v = 0; v < 3_000; v++) {
      fn.addInput(first, v);
    }
    SketchAccumulator second = fn.createAccumulator();
    for (long v = 2_000; v < 8_000; v++) {
      fn.addInput(second, v);
    }
    SketchAccumulator.Coder coder = SketchAccumulator.Coder.of();
    SketchAccumulator merged =
        fn.mergeAccumulators(
            Arrays.asList(CoderUtils.clone(coder, first), CoderUtils.clone(coder, second)));
    assertThat(fn.extractOutput(merged), equalTo(sketchOf(10, range(0, 8_000))));
  }

  @Test
  void precisionOutsideDataSketchesRangeIsRefusedNamingTheValue() {
    IllegalArgumentException low =
        assertThrows(
            IllegalArgumentException.class, () -> ApproximateDistinct.globally().withLgK(3));
    assertThat(low.getMessage(), containsString("lgK must be in [4, 21]"));
    assertThat(low.getMessage(), containsString("was 3"));
    IllegalArgumentException high =
        assertThrows(
            IllegalArgumentException.class, () -> ApproximateDistinct.perKey().withLgK(22));
    assertThat(high.getMessage(), containsString("was 22"));
    assertThrows(
        IllegalArgumentException.class, () -> ApproximateDistinct.sketchGlobally().withLgK(0));
    assertThrows(
        IllegalArgumentException.class, () -> ApproximateDistinct.sketchPerKey().withLgK(-1));
    assertThrows(IllegalArgumentException.class, () -> DistinctSketch.empty(25));
  }

  @Test
  void nonDeterministicElementCodersAndBadArgumentsAreRefused() {
    IllegalArgumentException coder =
        assertThrows(
            IllegalArgumentException.class,
            () -> ApproximateDistinct.SketchFn.of(SerializableCoder.of(String.class)));
    assertThat(coder.getMessage(), containsString("not deterministic"));
    assertThat(coder.getMessage(), containsString("SerializableCoder"));
    DistinctSketch sketch = sketchOf(12, range(0, 10));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> sketch.upperBound(4)).getMessage(),
        containsString("numStdDev must be 1, 2 or 3, was 4"));
    assertThrows(IllegalArgumentException.class, () -> sketch.lowerBound(0));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> DistinctSketch.fromByteArray(new byte[] {1, 2, 3}))
            .getMessage(),
        containsString("not a DataSketches HLL sketch image"));
  }
}
