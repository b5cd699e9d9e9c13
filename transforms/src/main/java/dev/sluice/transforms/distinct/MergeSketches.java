package dev.sluice.transforms.distinct;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Merges {@link DistinctSketch}es, globally or per key, in every window: the sketch of the union of
 * the sets they describe. Sketches of hours re-windowed into days give daily uniques; sketches of
 * yesterday's run merged with today's give the total, without reading the elements again.
 *
 * <p>The merged sketch has the smallest {@code lgK} among the sketches merged; one with more
 * registers is folded down first, exactly as if it had been built at that precision. Merging no
 * sketch at all (an empty input in the global window) gives an empty sketch at {@code lgK} {@value
 * ApproximateDistinct#MAX_LG_K}, which merges into any other sketch without lowering its precision.
 * Like {@link ApproximateDistinct}, the result depends only on the union of the sets, not on the
 * order or grouping of the merges.
 *
 * <pre>{@code
 * // ApproximateDistinct.sketchGlobally() in hourly windows:
 * PCollection<DistinctSketch> hourly = ...;
 * PCollection<Long> dailyUniques =
 *     hourly
 *         .apply("Daily", Window.into(FixedWindows.of(Duration.standardDays(1))))
 *         .apply("MergeHours", MergeSketches.globally())
 *         .apply("Estimate", MapElements.into(TypeDescriptors.longs())
 *             .via(sketch -> Math.round(sketch.estimate())));
 * }</pre>
 */
public final class MergeSketches {
  private MergeSketches() {}

  /** Merges all sketches of each window into one. */
  public static Globally globally() {
    return new Globally();
  }

  /** Merges the sketches of each key and window into one. */
  public static <K> PerKey<K> perKey() {
    return new PerKey<>();
  }

  /** The {@link CombineFn} that merges sketches, for use in other combines. */
  public static MergeFn combineFn() {
    return new MergeFn();
  }

  /**
   * Merges sketches per window. Create with {@link MergeSketches#globally()}.
   *
   * <pre>{@code
   * PCollection<DistinctSketch> daily =
   *     hourlyInDailyWindows.apply("Merge", MergeSketches.globally());
   * }</pre>
   */
  public static final class Globally
      extends PTransform<PCollection<DistinctSketch>, PCollection<DistinctSketch>> {
    private Globally() {}

    @Override
    public PCollection<DistinctSketch> expand(PCollection<DistinctSketch> input) {
      Combine.Globally<DistinctSketch, DistinctSketch> combine = Combine.globally(new MergeFn());
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        combine = combine.withoutDefaults();
      }
      return input.apply("Combine", combine).setCoder(DistinctSketch.Coder.of());
    }
  }

  /**
   * Merges sketches per key and window. Create with {@link MergeSketches#perKey()}.
   *
   * <pre>{@code
   * PCollection<KV<String, DistinctSketch>> daily =
   *     hourlyPerPageInDailyWindows.apply("Merge", MergeSketches.<String>perKey());
   * }</pre>
   */
  public static final class PerKey<K>
      extends PTransform<PCollection<KV<K, DistinctSketch>>, PCollection<KV<K, DistinctSketch>>> {
    private PerKey() {}

    @Override
    public PCollection<KV<K, DistinctSketch>> expand(PCollection<KV<K, DistinctSketch>> input) {
      if (!(input.getCoder() instanceof KvCoder)) {
        throw new IllegalArgumentException(
            "MergeSketches.perKey needs a KvCoder on its input, was " + input.getCoder());
      }
      Coder<K> keyCoder = ((KvCoder<K, DistinctSketch>) input.getCoder()).getKeyCoder();
      ElementEncoding.checkDeterministic("MergeSketches.perKey: the key coder", keyCoder);
      return input
          .apply("Combine", Combine.<K, DistinctSketch, DistinctSketch>perKey(new MergeFn()))
          .setCoder(KvCoder.of(keyCoder, DistinctSketch.Coder.of()));
    }
  }

  /**
   * Merges sketches into the sketch of the union of their sets.
   *
   * <pre>{@code
   * DistinctSketch all = MergeSketches.combineFn().apply(List.of(monday, tuesday, wednesday));
   * }</pre>
   */
  public static final class MergeFn extends SketchCombineFn<DistinctSketch> {
    private MergeFn() {}

    @Override
    public SketchAccumulator createAccumulator() {
      return SketchAccumulator.withLgK(ApproximateDistinct.MAX_LG_K);
    }

    @Override
    public SketchAccumulator addInput(SketchAccumulator accumulator, DistinctSketch input) {
      accumulator.add(input);
      return accumulator;
    }
  }
}
