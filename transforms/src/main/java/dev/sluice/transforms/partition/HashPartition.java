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
 * Hash partitioning of a keyed collection into {@code k} partitions: {@code partition =
 * floorMod(h1, k)}, where {@code h1} is the first 64 bits of MurmurHash3_x64_128 of the key's
 * encoding by its deterministic coder (the exact formula is in {@link StableHash}). The same key
 * lands in the same partition on every JVM and runner, whatever the bundling or the order of the
 * elements; {@code Object.hashCode()} is never used.
 *
 * <p>{@link #split()} returns the {@code k} partitions as a {@link PCollectionList}; {@link
 * #assign()} keeps one collection and tags each element with its partition. Both count every
 * partition's elements in the Beam counter {@code sluice.partition/partition_<i>}; apply {@link
 * PartitionStats#globally} to the output of {@code assign()} for the counts and the skew as data. A
 * key coder that is not deterministic is refused when the transform is applied.
 *
 * <pre>{@code
 * PCollection<KV<String, Long>> clicks = ...;
 * PCollectionList<KV<String, Long>> shards =
 *     clicks.apply("ShardByUser", HashPartition.of(8).split());
 * PCollection<KV<Integer, KV<String, Long>>> tagged =
 *     clicks.apply("TagWithShard", HashPartition.of(8).assign());
 * }</pre>
 */
public final class HashPartition {
  private final int numPartitions;

  private HashPartition(int numPartitions) {
    this.numPartitions = numPartitions;
  }

  /** Hash partitioning into {@code numPartitions} partitions, between 1 and 10 000. */
  public static HashPartition of(int numPartitions) {
    return new HashPartition(Checks.checkNumPartitions(numPartitions));
  }

  public int numPartitions() {
    return numPartitions;
  }

  /** Tags each element with its partition: {@code KV<partition, element>}. */
  public <K, V> Assign<K, V> assign() {
    return new Assign<>(numPartitions);
  }

  /** Splits the input into {@code numPartitions} collections, partition {@code i} at index i. */
  public <K, V> Split<K, V> split() {
    return new Split<>(numPartitions);
  }

  /** See {@link HashPartition#assign()}. */
  public static final class Assign<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<Integer, KV<K, V>>>> {
    private final int numPartitions;

    private Assign(int numPartitions) {
      this.numPartitions = numPartitions;
    }

    @Override
    public PCollection<KV<Integer, KV<K, V>>> expand(PCollection<KV<K, V>> input) {
      KvCoder<K, V> coder = Checks.kvCoder("HashPartition", input);
      Checks.checkDeterministicKeys("HashPartition", coder.getKeyCoder());
      return input
          .apply(
              "AssignHashPartition",
              ParDo.of(new AssignFn<K, V>(numPartitions, coder.getKeyCoder())))
          .setCoder(KvCoder.of(VarIntCoder.of(), coder));
    }
  }

  /** See {@link HashPartition#split()}. */
  public static final class Split<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollectionList<KV<K, V>>> {
    private final int numPartitions;

    private Split(int numPartitions) {
      this.numPartitions = numPartitions;
    }

    @Override
    public PCollectionList<KV<K, V>> expand(PCollection<KV<K, V>> input) {
      return input
          .apply("Assign", new Assign<K, V>(numPartitions))
          .apply("Split", new SplitByPartition<>(numPartitions, input.getCoder()));
    }
  }

  static final class AssignFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
    private final int numPartitions;
    private final Coder<K> keyCoder;
    private final PartitionCounters counters;

    AssignFn(int numPartitions, Coder<K> keyCoder) {
      this.numPartitions = numPartitions;
      this.keyCoder = keyCoder;
      this.counters = new PartitionCounters(numPartitions);
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<Integer, KV<K, V>>> out) {
      int partition = StableHash.partitionOf(element.getKey(), keyCoder, numPartitions);
      counters.inc(partition);
      out.output(KV.of(partition, element));
    }
  }
}
