package dev.sluice.transforms.partition;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * How many elements each partition received, and how uneven that is: the total, the largest and
 * smallest partition, the mean, and the skew {@code max / mean} (1.0 is perfectly even; {@code k}
 * means everything landed in one of {@code k} partitions).
 *
 * <p>{@link #globally(int)} computes it from the output of any partitioner's {@code assign()}, one
 * result per window. The same counts are also reported while the job runs as Beam counters named
 * {@code partition_<i>} ({@link #counterName(int)}) in the namespace {@value #METRICS_NAMESPACE},
 * one per partition and per assigning step.
 *
 * <pre>{@code
 * PCollection<PartitionStats> load =
 *     events
 *         .apply("AssignPartitions", HashPartition.of(8).assign())
 *         .apply("PartitionLoad", PartitionStats.globally(8));
 * // e.g. PartitionStats{k=8, total=50000, max=14437 (partition 4), mean=6250.0, skew=2.31, ...}
 * }</pre>
 */
@DefaultCoder(PartitionStats.Coder.class)
public final class PartitionStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The namespace of the per-partition counters. */
  public static final String METRICS_NAMESPACE = "sluice.partition";

  private final long[] counts;
  private final long total;
  private final int largest;

  private PartitionStats(long[] counts) {
    this.counts = counts;
    long sum = 0;
    int argMax = 0;
    for (int i = 0; i < counts.length; i++) {
      sum = Math.addExact(sum, counts[i]);
      if (counts[i] > counts[argMax]) {
        argMax = i;
      }
    }
    this.total = sum;
    this.largest = argMax;
  }

  /** The stats of the given per-partition counts ({@code counts[i]} is partition {@code i}'s). */
  public static PartitionStats fromCounts(long... counts) {
    Checks.checkArgument(counts != null, "counts must not be null");
    Checks.checkNumPartitions(counts.length);
    for (int i = 0; i < counts.length; i++) {
      Checks.checkArgument(counts[i] >= 0, "counts[%s] must not be negative, was %s", i, counts[i]);
    }
    return new PartitionStats(counts.clone());
  }

  /** The name of partition {@code partition}'s counter: {@code partition_<partition>}. */
  public static String counterName(int partition) {
    return "partition_" + partition;
  }

  /**
   * Counts the elements of each partition in the output of a partitioner's {@code assign()} (keyed
   * by partition), one {@code PartitionStats} per window. In the global window there is always one,
   * all zeros for empty input; other windows without elements produce none.
   */
  public static <T> Globally<T> globally(int numPartitions) {
    return new Globally<>(Checks.checkNumPartitions(numPartitions));
  }

  /** The {@link CombineFn} behind {@link #globally}, over partition numbers. */
  public static CountFn combineFn(int numPartitions) {
    return new CountFn(Checks.checkNumPartitions(numPartitions));
  }

  public int numPartitions() {
    return counts.length;
  }

  /** The number of elements in {@code partition}. */
  public long count(int partition) {
    return counts[partition];
  }

  /** A copy of the counts, indexed by partition. */
  public long[] counts() {
    return counts.clone();
  }

  public long total() {
    return total;
  }

  /** The count of the largest partition. */
  public long max() {
    return counts[largest];
  }

  /** The lowest-numbered partition holding {@link #max()} elements. */
  public int largestPartition() {
    return largest;
  }

  /** The count of the smallest partition. */
  public long min() {
    return Arrays.stream(counts).min().getAsLong();
  }

  /** {@code total / numPartitions}, the load of a perfectly even partitioning. */
  public double mean() {
    return (double) total / counts.length;
  }

  /**
   * {@code max / mean}, in {@code [1, numPartitions]}: how many times the even share the largest
   * partition holds. Defined as 1.0 when there are no elements.
   */
  public double skew() {
    return total == 0 ? 1.0 : counts[largest] / mean();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionStats && Arrays.equals(counts, ((PartitionStats) o).counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "PartitionStats{k=%d, total=%d, max=%d (partition %d), mean=%.1f, skew=%.2f, counts=%s}",
        counts.length,
        total,
        max(),
        largest,
        mean(),
        skew(),
        Arrays.toString(counts));
  }

  /** Counts partition numbers into a {@link PartitionStats}. */
  public static final class Globally<T>
      extends PTransform<PCollection<KV<Integer, T>>, PCollection<PartitionStats>> {
    private final int numPartitions;

    private Globally(int numPartitions) {
      this.numPartitions = numPartitions;
    }

    @Override
    public PCollection<PartitionStats> expand(PCollection<KV<Integer, T>> input) {
      Combine.Globally<Integer, PartitionStats> count =
          Combine.globally(new CountFn(numPartitions));
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        count = count.withoutDefaults();
      }
      return input
          .apply("PartitionNumbers", Keys.create())
          .apply("CountPerPartition", count)
          .setCoder(Coder.of());
    }
  }

  /** Counts partition numbers; refuses a number outside {@code [0, numPartitions)}. */
  public static final class CountFn extends CombineFn<Integer, long[], PartitionStats> {
    private final int numPartitions;

    private CountFn(int numPartitions) {
      this.numPartitions = numPartitions;
    }

    @Override
    public long[] createAccumulator() {
      return new long[numPartitions];
    }

    @Override
    public long[] addInput(long[] counts, Integer partition) {
      if (partition == null || partition < 0 || partition >= numPartitions) {
        throw new IllegalArgumentException(
            String.format(
                "partition %s is outside [0, %s): give PartitionStats the partitioner's"
                    + " numPartitions",
                partition, numPartitions));
      }
      counts[partition]++;
      return counts;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accumulators) {
      long[] merged = new long[numPartitions];
      for (long[] counts : accumulators) {
        for (int i = 0; i < numPartitions; i++) {
          merged[i] += counts[i];
        }
      }
      return merged;
    }

    @Override
    public PartitionStats extractOutput(long[] counts) {
      return new PartitionStats(counts.clone());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<long[]> getAccumulatorCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<Integer> inputCoder) {
      return CountsCoder.INSTANCE;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<PartitionStats> getDefaultOutputCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<Integer> inputCoder) {
      return Coder.of();
    }
  }

  /** A deterministic coder: the number of partitions, then each count, as varints. */
  public static final class Coder extends AtomicCoder<PartitionStats> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PartitionStats value, OutputStream out) throws IOException {
      CountsCoder.INSTANCE.encode(value.counts, out);
    }

    @Override
    public PartitionStats decode(InputStream in) throws IOException {
      return new PartitionStats(CountsCoder.INSTANCE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Encodes a {@code long[]} of counts: its length, then each value, as varints. */
  static final class CountsCoder extends AtomicCoder<long[]> {
    static final CountsCoder INSTANCE = new CountsCoder();

    @Override
    public void encode(long[] counts, OutputStream out) throws IOException {
      VarIntCoder.of().encode(counts.length, out);
      for (long count : counts) {
        VarLongCoder.of().encode(count, out);
      }
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      long[] counts = new long[VarIntCoder.of().decode(in)];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = VarLongCoder.of().decode(in);
      }
      return counts;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
