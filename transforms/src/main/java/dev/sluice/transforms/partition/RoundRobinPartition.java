package dev.sluice.transforms.partition;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Round-robin partitioning of any collection into {@code k} partitions, whatever its elements: for
 * spreading load evenly when keys are absent or too skewed to hash.
 *
 * <p>A PCollection has no global order, so "round robin" is defined per worker (per DoFn instance):
 * each deals the elements it processes to consecutive partitions {@code s, s+1, ... (mod k)},
 * continuing from one bundle to the next, starting at the {@link StableHash stable hash} of the
 * first element it sees. So every worker's elements are balanced over the partitions to within one,
 * and each partition holds the even share {@code N/k} give or take less than the number of workers,
 * however small the bundles. Which partition a given element lands in depends on which worker
 * processed it and what that worker processed before, so it can differ between runs and retries:
 * use {@link HashPartition} when placement must be reproducible.
 *
 * <p>{@link #split()} and {@link #assign()} work as for {@link HashPartition}, with the same
 * per-partition counters.
 *
 * <pre>{@code
 * PCollectionList<LogLine> lanes = lines.apply("SpreadEvenly", RoundRobinPartition.of(4).split());
 * }</pre>
 */
public final class RoundRobinPartition {
  private final int numPartitions;

  private RoundRobinPartition(int numPartitions) {
    this.numPartitions = numPartitions;
  }

  /** Round-robin partitioning into {@code numPartitions} partitions, between 1 and 10 000. */
  public static RoundRobinPartition of(int numPartitions) {
    return new RoundRobinPartition(Checks.checkNumPartitions(numPartitions));
  }

  public int numPartitions() {
    return numPartitions;
  }

  /** Tags each element with its partition: {@code KV<partition, element>}. */
  public <T> Assign<T> assign() {
    return new Assign<>(numPartitions);
  }

  /** Splits the input into {@code numPartitions} collections, partition {@code i} at index i. */
  public <T> Split<T> split() {
    return new Split<>(numPartitions);
  }

  /** See {@link RoundRobinPartition#assign()}. */
  public static final class Assign<T>
      extends PTransform<PCollection<T>, PCollection<KV<Integer, T>>> {
    private final int numPartitions;

    private Assign(int numPartitions) {
      this.numPartitions = numPartitions;
    }

    @Override
    public PCollection<KV<Integer, T>> expand(PCollection<T> input) {
      return input
          .apply("AssignRoundRobin", ParDo.of(new AssignFn<>(numPartitions, input.getCoder())))
          .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()));
    }
  }

  /** See {@link RoundRobinPartition#split()}. */
  public static final class Split<T> extends PTransform<PCollection<T>, PCollectionList<T>> {
    private final int numPartitions;

    private Split(int numPartitions) {
      this.numPartitions = numPartitions;
    }

    @Override
    public PCollectionList<T> expand(PCollection<T> input) {
      return input
          .apply("Assign", new Assign<T>(numPartitions))
          .apply("Split", new SplitByPartition<>(numPartitions, input.getCoder()));
    }
  }

  static final class AssignFn<T> extends DoFn<T, KV<Integer, T>> {
    private final int numPartitions;
    private final RoundRobinCursor<T> cursor;
    private final PartitionCounters counters;

    AssignFn(int numPartitions, Coder<T> elementCoder) {
      this.numPartitions = numPartitions;
      this.cursor = new RoundRobinCursor<>(elementCoder);
      this.counters = new PartitionCounters(numPartitions);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, T>> out) {
      int partition = (int) (cursor.next(element) % numPartitions);
      counters.inc(partition);
      out.output(KV.of(partition, element));
    }
  }
}
