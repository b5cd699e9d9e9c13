package dev.sluice.transforms.distinct;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts distinct elements approximately, globally or per key, in every window, with a HyperLogLog
 * sketch from Apache DataSketches; or returns the {@link DistinctSketch sketches} themselves, to be
 * merged later with {@link MergeSketches}.
 *
 * <p><b>Precision and error.</b> The one knob is {@code lgK}, in {@code [4, 21]} (the range
 * DataSketches accepts), default {@value #DEFAULT_LG_K}: a sketch has {@code k = 2^lgK} registers
 * of one byte. The relative standard error of the estimate is
 *
 * <pre>    RSE = 1.04 / sqrt(2^lgK)</pre>
 *
 * <p>— precisely {@code sqrt(3 ln 2 - 1) / sqrt(k)} = {@code 1.0390 / sqrt(k)}. That is the factor
 * of DataSketches' Composite Estimator, which DataSketches uses for any sketch that is the result
 * of a union (datasketches-java 6.2.0, {@code HllUtil.HLL_NON_HIP_RSE_FACTOR}; the {@code
 * org.apache.datasketches.hll} package documentation describes the HIP and Composite estimators).
 * Every sketch here is kept in that merged state so that results do not depend on bundling (see
 * {@link DistinctSketch}); the HIP estimator's {@code sqrt(ln 2) = 0.833} is given up for that. The
 * RSE is 3.25 % at {@code lgK} 10, 1.63 % at 12, 0.81 % at 14 and 0.41 % at 16: about 68 % of
 * estimates fall within one RSE of the true count and 99.7 % within three. It is the asymptotic
 * figure for counts well above {@code k}. Up to about {@code k / 10} distinct elements a sketch
 * keeps the hashes themselves and is almost exact; for small {@code lgK} (4 to 7) the figure is
 * optimistic. {@link #relativeStandardError(int)} computes it; {@link DistinctSketch#lowerBound}
 * and {@link DistinctSketch#upperBound} give DataSketches' calibrated bounds for one sketch.
 *
 * <p><b>What is counted.</b> An element is hashed from its encoding by the input's coder (the
 * value's coder, per key), never from {@code hashCode()}; the coder must be deterministic, or the
 * transform refuses it at construction of the pipeline. Estimates are rounded to a {@code Long}.
 *
 * <p><b>Windows.</b> The count is per window, like any {@code Combine}. {@link #globally()} emits 0
 * for an empty input in the global window and nothing for windows without elements.
 *
 * <pre>{@code
 * PCollection<Long> uniqueUsers = userIds.apply("CountUsers", ApproximateDistinct.globally());
 *
 * PCollection<KV<String, Long>> visitorsPerPage =
 *     pageViews  // KV<page, visitorId>
 *         .apply("Hourly", Window.into(FixedWindows.of(Duration.standardHours(1))))
 *         .apply("CountVisitors", ApproximateDistinct.<String, String>perKey().withLgK(14));
 *
 * PCollection<KV<String, DistinctSketch>> sketches =
 *     pageViews.apply("SketchVisitors", ApproximateDistinct.<String, String>sketchPerKey());
 * }</pre>
 */
public final class ApproximateDistinct {
  /** The smallest precision DataSketches accepts. */
  public static final int MIN_LG_K = 4;

  /** The largest precision DataSketches accepts. */
  public static final int MAX_LG_K = 21;

  /** 4096 registers, a relative standard error of 1.6 %. */
  public static final int DEFAULT_LG_K = 12;

  /** DataSketches' error factor for merged HLL sketches: sqrt(3 ln 2 - 1) = 1.0390. */
  private static final double RSE_FACTOR = Math.sqrt(3 * Math.log(2) - 1);

  private ApproximateDistinct() {}

  /** Counts the distinct elements of a collection, per window. */
  public static <T> Globally<T> globally() {
    return new Globally<>(DEFAULT_LG_K);
  }

  /** Counts the distinct values of each key, per window. */
  public static <K, V> PerKey<K, V> perKey() {
    return new PerKey<>(DEFAULT_LG_K);
  }

  /** The sketch of a collection's elements, per window. */
  public static <T> SketchGlobally<T> sketchGlobally() {
    return new SketchGlobally<>(DEFAULT_LG_K);
  }

  /** The sketch of each key's values, per window. */
  public static <K, V> SketchPerKey<K, V> sketchPerKey() {
    return new SketchPerKey<>(DEFAULT_LG_K);
  }

  /**
   * The relative standard error of an estimate at precision {@code lgK}: {@code sqrt(3 ln 2 - 1) /
   * sqrt(2^lgK)}, about {@code 1.04 / sqrt(2^lgK)}.
   */
  public static double relativeStandardError(int lgK) {
    checkLgK("relativeStandardError", lgK);
    return RSE_FACTOR / Math.sqrt(1 << lgK);
  }

  static int checkLgK(String where, int lgK) {
    if (lgK < MIN_LG_K || lgK > MAX_LG_K) {
      throw new IllegalArgumentException(
          String.format(
              "%s: lgK must be in [%d, %d] (2^lgK registers; RSE about 1.04/sqrt(2^lgK)), was %d",
              where, MIN_LG_K, MAX_LG_K, lgK));
    }
    return lgK;
  }

  /** Combines the sketches of a collection per window; with defaults only in the global window. */
  private static <T> PCollection<DistinctSketch> sketchEachWindow(
      PCollection<T> input, CombineFn<T, ?, DistinctSketch> fn) {
    Combine.Globally<T, DistinctSketch> combine = Combine.globally(fn);
    if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      combine = combine.withoutDefaults();
    }
    return input.apply("Combine", combine).setCoder(DistinctSketch.Coder.of());
  }

  private static <K, V> KvCoder<K, V> kvCoder(String where, PCollection<KV<K, V>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          where + " needs a KvCoder on its input, was " + input.getCoder());
    }
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    ElementEncoding.checkDeterministic(where + ": the key coder", coder.getKeyCoder());
    return coder;
  }

  /**
   * Counts distinct elements per window. Create with {@link ApproximateDistinct#globally()}.
   *
   * <pre>{@code
   * PCollection<Long> uniques =
   *     ids.apply("CountIds", ApproximateDistinct.<String>globally().withLgK(14));
   * }</pre>
   */
  public static final class Globally<T> extends PTransform<PCollection<T>, PCollection<Long>> {
    private final int lgK;

    private Globally(int lgK) {
      this.lgK = lgK;
    }

    /** Uses {@code 2^lgK} registers, {@code lgK} in [4, 21]; 12 by default. */
    public Globally<T> withLgK(int lgK) {
      return new Globally<>(checkLgK("ApproximateDistinct.globally", lgK));
    }

    @Override
    public PCollection<Long> expand(PCollection<T> input) {
      return input
          .apply("Sketch", new SketchGlobally<T>(lgK))
          .apply("Estimate", ParDo.of(new EstimateFn()))
          .setCoder(VarLongCoder.of());
    }
  }

  /**
   * Counts distinct values per key and window. Create with {@link ApproximateDistinct#perKey()}.
   *
   * <pre>{@code
   * PCollection<KV<String, Long>> usersPerCountry =
   *     countryAndUser.apply("CountUsers", ApproximateDistinct.<String, String>perKey());
   * }</pre>
   */
  public static final class PerKey<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Long>>> {
    private final int lgK;

    private PerKey(int lgK) {
      this.lgK = lgK;
    }

    /** Uses {@code 2^lgK} registers, {@code lgK} in [4, 21]; 12 by default. */
    public PerKey<K, V> withLgK(int lgK) {
      return new PerKey<>(checkLgK("ApproximateDistinct.perKey", lgK));
    }

    @Override
    public PCollection<KV<K, Long>> expand(PCollection<KV<K, V>> input) {
      Coder<K> keyCoder = kvCoder("ApproximateDistinct.perKey", input).getKeyCoder();
      return input
          .apply("Sketch", new SketchPerKey<K, V>(lgK))
          .apply("Estimate", ParDo.of(new EstimatePerKeyFn<K>()))
          .setCoder(KvCoder.of(keyCoder, VarLongCoder.of()));
    }
  }

  /**
   * The sketch of each window. Create with {@link ApproximateDistinct#sketchGlobally()}.
   *
   * <pre>{@code
   * PCollection<DistinctSketch> sketches =
   *     ids.apply("SketchIds", ApproximateDistinct.sketchGlobally());
   * }</pre>
   */
  public static final class SketchGlobally<T>
      extends PTransform<PCollection<T>, PCollection<DistinctSketch>> {
    private final int lgK;

    private SketchGlobally(int lgK) {
      this.lgK = lgK;
    }

    /** Uses {@code 2^lgK} registers, {@code lgK} in [4, 21]; 12 by default. */
    public SketchGlobally<T> withLgK(int lgK) {
      return new SketchGlobally<>(checkLgK("ApproximateDistinct.sketchGlobally", lgK));
    }

    @Override
    public PCollection<DistinctSketch> expand(PCollection<T> input) {
      return sketchEachWindow(input, SketchFn.of(input.getCoder()).withLgK(lgK));
    }
  }

  /**
   * The sketch of each key and window. Create with {@link ApproximateDistinct#sketchPerKey()}.
   *
   * <pre>{@code
   * PCollection<KV<String, DistinctSketch>> sketches =
   *     countryAndUser.apply("SketchUsers", ApproximateDistinct.<String, String>sketchPerKey());
   * }</pre>
   */
  public static final class SketchPerKey<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, DistinctSketch>>> {
    private final int lgK;

    private SketchPerKey(int lgK) {
      this.lgK = lgK;
    }

    /** Uses {@code 2^lgK} registers, {@code lgK} in [4, 21]; 12 by default. */
    public SketchPerKey<K, V> withLgK(int lgK) {
      return new SketchPerKey<>(checkLgK("ApproximateDistinct.sketchPerKey", lgK));
    }

    @Override
    public PCollection<KV<K, DistinctSketch>> expand(PCollection<KV<K, V>> input) {
      KvCoder<K, V> coder = kvCoder("ApproximateDistinct.sketchPerKey", input);
      SketchFn<V> fn = SketchFn.of(coder.getValueCoder()).withLgK(lgK);
      return input
          .apply("Combine", Combine.perKey(fn))
          .setCoder(KvCoder.of(coder.getKeyCoder(), DistinctSketch.Coder.of()));
    }
  }

  /**
   * The {@link CombineFn} behind these transforms, for use in other combines (e.g. {@code
   * CombineFns.compose()} or {@code Combine.perKey(...).withHotKeyFanout(...)}): it sketches
   * elements, hashed from their encoding by {@code coder}, into a {@link DistinctSketch}.
   *
   * <pre>{@code
   * Combine.perKey(ApproximateDistinct.SketchFn.of(StringUtf8Coder.of()).withLgK(14))
   * }</pre>
   */
  public static final class SketchFn<T> extends SketchCombineFn<T> {
    private final Coder<T> coder;
    private final int lgK;

    private SketchFn(Coder<T> coder, int lgK) {
      this.coder = coder;
      this.lgK = lgK;
    }

    /**
     * Sketches elements encoded by {@code coder}, at {@code lgK} 12.
     *
     * @throws IllegalArgumentException if {@code coder} is not deterministic
     */
    public static <T> SketchFn<T> of(Coder<T> coder) {
      requireNonNull(coder, "coder");
      ElementEncoding.checkDeterministic("ApproximateDistinct: the element coder", coder);
      return new SketchFn<>(coder, DEFAULT_LG_K);
    }

    /** Uses {@code 2^lgK} registers, {@code lgK} in [4, 21]; 12 by default. */
    public SketchFn<T> withLgK(int lgK) {
      return new SketchFn<>(coder, checkLgK("ApproximateDistinct.SketchFn", lgK));
    }

    public int getLgK() {
      return lgK;
    }

    @Override
    public SketchAccumulator createAccumulator() {
      return SketchAccumulator.withLgK(lgK);
    }

    @Override
    public SketchAccumulator addInput(SketchAccumulator accumulator, T input) {
      accumulator.addItem(ElementEncoding.of(coder, input));
      return accumulator;
    }
  }

  static final class EstimateFn extends DoFn<DistinctSketch, Long> {
    @ProcessElement
    public void process(@Element DistinctSketch sketch, OutputReceiver<Long> out) {
      out.output(Math.round(sketch.estimate()));
    }
  }

  static final class EstimatePerKeyFn<K> extends DoFn<KV<K, DistinctSketch>, KV<K, Long>> {
    @ProcessElement
    public void process(@Element KV<K, DistinctSketch> sketch, OutputReceiver<KV<K, Long>> out) {
      out.output(KV.of(sketch.getKey(), Math.round(sketch.getValue().estimate())));
    }
  }
}
