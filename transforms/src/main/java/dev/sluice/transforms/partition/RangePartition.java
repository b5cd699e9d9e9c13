package dev.sluice.transforms.partition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.ApproximateQuantiles.ApproximateQuantilesCombineFn;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Range partitioning of a collection keyed by an ordered key: partition {@code i} holds the keys
 * from split point {@code i-1} (inclusive) up to split point {@code i} (exclusive), so the
 * partitions are ordered and contiguous. With split points {@code s_0 < s_1 < ... < s_(k-2)}, a
 * key's partition is the number of split points {@code <=} the key: keys below {@code s_0} go to
 * partition 0, keys at or above {@code s_(k-2)} to partition {@code k-1}.
 *
 * <p>The split points are either given ({@link #of(List)}) or computed from the data ({@link
 * #fromQuantiles(int)}): the {@code k-1} interior {@code k}-quantiles of the keys, found with
 * Beam's {@code ApproximateQuantiles} in one pass and handed to the partitioning step as a side
 * input, per window. Each computed split point's rank is within {@code epsilon * N} of the exact
 * one ({@link FromQuantiles#withEpsilon}, 0.01 by default), so each partition holds about {@code
 * N/k} elements, except that one key more frequent than that cannot be divided: equal quantiles
 * leave the partitions between them empty.
 *
 * <p>{@link Explicit#split()} and {@link Explicit#assign()} (and the same on {@link FromQuantiles})
 * work as for {@link HashPartition}, with the same per-partition counters.
 *
 * <pre>{@code
 * // explicit: < 100, [100, 1000), >= 1000
 * PCollectionList<KV<Long, Order>> bySize =
 *     orders.apply("BySize", RangePartition.of(List.of(100L, 1000L)).split());
 * // from the data: four ranges holding about a quarter each
 * PCollection<KV<Integer, KV<String, Order>>> byCustomer =
 *     ordersByCustomer.apply(
 *         "ByCustomerRange", RangePartition.<String>fromQuantiles(4).assign());
 * }</pre>
 */
public final class RangePartition {
  /** The default rank error of the computed split points. */
  public static final double DEFAULT_EPSILON = 0.01;

  private RangePartition() {}

  /** Range partitioning at the given split points, in the keys' natural order. */
  public static <K extends Comparable<? super K>> Explicit<K> of(List<K> splitPoints) {
    return of(splitPoints, new NaturalOrder<K>());
  }

  /**
   * Range partitioning at the given split points, in {@code order}: {@code splitPoints.size() + 1}
   * partitions. The split points must be strictly increasing.
   */
  public static <K> Explicit<K> of(List<K> splitPoints, SerializableComparator<K> order) {
    Checks.checkArgument(splitPoints != null, "splitPoints must not be null");
    Checks.checkArgument(order != null, "order must not be null");
    Checks.checkNumPartitions(splitPoints.size() + 1);
    for (int i = 0; i < splitPoints.size(); i++) {
      Checks.checkArgument(splitPoints.get(i) != null, "splitPoints[%s] must not be null", i);
      if (i > 0) {
        Checks.checkArgument(
            order.compare(splitPoints.get(i - 1), splitPoints.get(i)) < 0,
            "splitPoints must be strictly increasing, but splitPoints[%s] = %s is not below"
                + " splitPoints[%s] = %s",
            i - 1,
            splitPoints.get(i - 1),
            i,
            splitPoints.get(i));
      }
    }
    return new Explicit<>(Collections.unmodifiableList(new ArrayList<>(splitPoints)), order);
  }

  /** Range partitioning into {@code numPartitions} ranges of about equal size, in natural order. */
  public static <K extends Comparable<? super K>> FromQuantiles<K> fromQuantiles(
      int numPartitions) {
    return fromQuantiles(numPartitions, new NaturalOrder<K>());
  }

  /** Range partitioning into {@code numPartitions} ranges of about equal size, in {@code order}. */
  public static <K> FromQuantiles<K> fromQuantiles(
      int numPartitions, SerializableComparator<K> order) {
    Checks.checkArgument(order != null, "order must not be null");
    return new FromQuantiles<>(Checks.checkNumPartitions(numPartitions), order, DEFAULT_EPSILON);
  }

  /** The partition of {@code key}: the number of split points {@code <=} key (binary search). */
  static <K> int partitionOf(List<K> splitPoints, K key, SerializableComparator<K> order) {
    int low = 0;
    int high = splitPoints.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (order.compare(splitPoints.get(mid), key) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Range partitioning at split points given up front. */
  public static final class Explicit<K> {
    private final List<K> splitPoints;
    private final SerializableComparator<K> order;

    private Explicit(List<K> splitPoints, SerializableComparator<K> order) {
      this.splitPoints = splitPoints;
      this.order = order;
    }

    /** {@code splitPoints().size() + 1}. */
    public int numPartitions() {
      return splitPoints.size() + 1;
    }

    public List<K> splitPoints() {
      return splitPoints;
    }

    /** Tags each element with its partition: {@code KV<partition, element>}. */
    public <V> Assign<K, V> assign() {
      return new Assign<>(this, null);
    }

    /** Splits the input into {@link #numPartitions()} collections, in key order. */
    public <V> Split<K, V> split() {
      return new Split<>(new Assign<K, V>(this, null));
    }
  }

  /** Range partitioning at split points computed from the data as approximate quantiles. */
  public static final class FromQuantiles<K> {
    private final int numPartitions;
    private final SerializableComparator<K> order;
    private final double epsilon;

    private FromQuantiles(int numPartitions, SerializableComparator<K> order, double epsilon) {
      this.numPartitions = numPartitions;
      this.order = order;
      this.epsilon = epsilon;
    }

    /**
     * The split points' allowed rank error as a fraction of the number of keys, in {@code (0,
     * 0.5]}; smaller is more even and uses more memory (about {@code log(epsilon N) / epsilon}
     * keys).
     */
    public FromQuantiles<K> withEpsilon(double epsilon) {
      Checks.checkArgument(
          epsilon > 0 && epsilon <= 0.5, "epsilon must be in (0, 0.5], was %s", epsilon);
      return new FromQuantiles<>(numPartitions, order, epsilon);
    }

    public int numPartitions() {
      return numPartitions;
    }

    public double epsilon() {
      return epsilon;
    }

    /** Tags each element with its partition: {@code KV<partition, element>}. */
    public <V> Assign<K, V> assign() {
      return new Assign<>(null, this);
    }

    /** Splits the input into {@link #numPartitions()} collections, in key order. */
    public <V> Split<K, V> split() {
      return new Split<>(new Assign<K, V>(null, this));
    }
  }

  /** Tags each element with its range partition; see {@link RangePartition}. */
  public static final class Assign<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<Integer, KV<K, V>>>> {
    private final @Nullable Explicit<K> explicit;
    private final @Nullable FromQuantiles<K> quantiles;

    private Assign(@Nullable Explicit<K> explicit, @Nullable FromQuantiles<K> quantiles) {
      this.explicit = explicit;
      this.quantiles = quantiles;
    }

    int numPartitions() {
      return explicit != null ? explicit.numPartitions() : quantiles.numPartitions;
    }

    @Override
    public PCollection<KV<Integer, KV<K, V>>> expand(PCollection<KV<K, V>> input) {
      KvCoder<K, V> coder = Checks.kvCoder("RangePartition", input);
      Coder<List<K>> splitPointsCoder = ListCoder.of(coder.getKeyCoder());
      AssignFn<K, V> fn;
      ParDo.SingleOutput<KV<K, V>, KV<Integer, KV<K, V>>> assign;
      if (explicit != null) {
        byte[] encoded = encodeSplitPoints(splitPointsCoder, explicit.splitPoints);
        fn = new AssignFn<>(numPartitions(), explicit.order, splitPointsCoder, encoded, null);
        assign = ParDo.of(fn);
      } else {
        PCollectionView<List<K>> view = splitPointsView(input, coder.getKeyCoder());
        fn = new AssignFn<>(numPartitions(), quantiles.order, splitPointsCoder, null, view);
        assign = ParDo.of(fn).withSideInputs(view);
      }
      return input
          .apply("AssignRangePartition", assign)
          .setCoder(KvCoder.of(VarIntCoder.of(), coder));
    }

    private PCollectionView<List<K>> splitPointsView(
        PCollection<KV<K, V>> input, Coder<K> keyCoder) {
      // k + 1 quantiles are the minimum, the k - 1 interior split points and the maximum.
      Combine.Globally<K, List<K>> quantilesOfKeys =
          Combine.globally(
              ApproximateQuantilesCombineFn.create(quantiles.numPartitions + 1, quantiles.order)
                  .withEpsilon(quantiles.epsilon));
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        quantilesOfKeys = quantilesOfKeys.withoutDefaults();
      }
      return input
          .apply("Keys", Keys.create())
          .apply("ApproximateQuantiles", quantilesOfKeys)
          .apply("InteriorSplitPoints", ParDo.of(new InteriorFn<K>()))
          .setCoder(ListCoder.of(keyCoder))
          .apply("AsSideInput", View.asSingleton());
    }

    private static <K> byte[] encodeSplitPoints(Coder<List<K>> coder, List<K> splitPoints) {
      try {
        return CoderUtils.encodeToByteArray(coder, splitPoints);
      } catch (CoderException e) {
        throw new IllegalArgumentException(
            "cannot encode the split points " + splitPoints + " with the key coder " + coder, e);
      }
    }
  }

  /** Splits the input into its range partitions, in key order; see {@link RangePartition}. */
  public static final class Split<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollectionList<KV<K, V>>> {
    private final Assign<K, V> assign;

    private Split(Assign<K, V> assign) {
      this.assign = assign;
    }

    @Override
    public PCollectionList<KV<K, V>> expand(PCollection<KV<K, V>> input) {
      return input
          .apply("Assign", assign)
          .apply("Split", new SplitByPartition<>(assign.numPartitions(), input.getCoder()));
    }
  }

  /** Drops the first and last quantile (the minimum and the maximum). */
  static final class InteriorFn<K> extends DoFn<List<K>, List<K>> {
    @ProcessElement
    public void process(@Element List<K> quantiles, OutputReceiver<List<K>> out) {
      out.output(
          quantiles.size() <= 2
              ? Collections.emptyList()
              : new ArrayList<>(quantiles.subList(1, quantiles.size() - 1)));
    }
  }

  static final class AssignFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
    private final int numPartitions;
    private final SerializableComparator<K> order;
    private final Coder<List<K>> splitPointsCoder;
    private final byte @Nullable [] encodedSplitPoints;
    private final @Nullable PCollectionView<List<K>> splitPointsView;
    private final PartitionCounters counters;
    private transient @Nullable List<K> fixedSplitPoints;

    AssignFn(
        int numPartitions,
        SerializableComparator<K> order,
        Coder<List<K>> splitPointsCoder,
        byte @Nullable [] encodedSplitPoints,
        @Nullable PCollectionView<List<K>> splitPointsView) {
      this.numPartitions = numPartitions;
      this.order = order;
      this.splitPointsCoder = splitPointsCoder;
      this.encodedSplitPoints = encodedSplitPoints;
      this.splitPointsView = splitPointsView;
      this.counters = new PartitionCounters(numPartitions);
    }

    @Setup
    public void setup() throws IOException {
      if (encodedSplitPoints != null) {
        fixedSplitPoints = CoderUtils.decodeFromByteArray(splitPointsCoder, encodedSplitPoints);
      }
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<K> splitPoints =
          splitPointsView == null ? fixedSplitPoints : c.sideInput(splitPointsView);
      KV<K, V> element = c.element();
      int partition =
          Math.min(partitionOf(splitPoints, element.getKey(), order), numPartitions - 1);
      counters.inc(partition);
      c.output(KV.of(partition, element));
    }
  }

  /** The natural order of comparable keys, serializable. */
  static final class NaturalOrder<K extends Comparable<? super K>>
      implements SerializableComparator<K> {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(K a, K b) {
      return a.compareTo(b);
    }
  }
}
