package dev.sluice.transforms.distinct;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.datasketches.filters.bloomfilter.BloomFilter;
import org.apache.datasketches.filters.bloomfilter.BloomFilterBuilder;
import org.apache.datasketches.memory.Memory;

/**
 * What one shard of {@link ApproximateDeduplicate} remembers: DataSketches Bloom filters, one per
 * generation of event time. An element of generation {@code g} is looked up in generations {@code g
 * - 1}, {@code g} and {@code g + 1} and, if absent, remembered in {@code g}; so two copies less
 * than one generation apart always meet, whichever comes first. Without expiry there is a single
 * generation, 0.
 *
 * <p>Bloom filters have no false negatives: an element remembered is always found. They have false
 * positives: an element never seen may be reported as seen, with the probability {@link
 * Sizing#falsePositiveRate()} bounds for a filter holding at most its capacity.
 */
final class SeenFilter {
  /** Fixed so that filters, and therefore test results, are the same on every run and runner. */
  static final long HASH_SEED = 9001L;

  private final TreeMap<Long, Generation> generations;

  private SeenFilter(TreeMap<Long, Generation> generations) {
    this.generations = generations;
  }

  static SeenFilter empty() {
    return new SeenFilter(new TreeMap<>());
  }

  /**
   * Whether {@code id} was seen in generation {@code generation} or a neighbouring one; if not,
   * remembers it in {@code generation}.
   *
   * @return true if it was (probably) seen before, false if it is certainly new
   */
  boolean seenOrRemember(byte[] id, long generation, Sizing sizing) {
    if (seen(id, generation)) {
      return true;
    }
    Generation target =
        generations.computeIfAbsent(generation, g -> new Generation(sizing.newFilter(), 0));
    target.filter.update(id);
    target.insertions++;
    return false;
  }

  /** Whether {@code id} was (probably) seen in {@code generation} or a neighbouring one. */
  boolean seen(byte[] id, long generation) {
    for (long g = generation - 1; g <= generation + 1; g++) {
      Generation candidate = generations.get(g);
      if (candidate != null && candidate.filter.query(id)) {
        return true;
      }
    }
    return false;
  }

  /** How many elements generation {@code generation} holds. */
  long insertions(long generation) {
    Generation g = generations.get(generation);
    return g == null ? 0 : g.insertions;
  }

  /** Forgets every generation before {@code generation}; returns how many there were. */
  int forgetBefore(long generation) {
    Map<Long, Generation> older = generations.headMap(generation, false);
    int count = older.size();
    older.clear();
    return count;
  }

  boolean isEmpty() {
    return generations.isEmpty();
  }

  /** The oldest generation held; only when not {@link #isEmpty()}. */
  long oldestGeneration() {
    return generations.firstKey();
  }

  private static final class Generation {
    final BloomFilter filter;
    long insertions;

    Generation(BloomFilter filter, long insertions) {
      this.filter = filter;
      this.insertions = insertions;
    }
  }

  /**
   * The size of each filter: {@code bits} bits and {@code hashes} hash functions, chosen so that a
   * filter holding {@code capacity} elements answers "seen" for a new element with probability
   * {@code (1 - e^(-hashes * capacity / bits))^hashes}, at most the target rate.
   */
  static final class Sizing implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double LN2 = Math.log(2);

    private final long capacity;
    private final long bits;
    private final int hashes;

    private Sizing(long capacity, long bits, int hashes) {
      this.capacity = capacity;
      this.bits = bits;
      this.hashes = hashes;
    }

    /**
     * The smallest filter (to 1 %) with the optimal number of hashes whose false-positive rate at
     * {@code capacity} elements is at most {@code targetRate}. DataSketches' own sizing ({@code
     * createByAccuracy}) rounds the number of hashes up and lands a few percent above the target
     * (0.1036 for 0.1), hence this.
     *
     * @throws IllegalArgumentException if the filter would exceed DataSketches' maximum size
     */
    static Sizing of(long capacity, double targetRate) {
      double n = capacity;
      long bits = (long) Math.ceil(-n * Math.log(targetRate) / (LN2 * LN2));
      while (true) {
        int hashes = (int) Math.max(1, Math.round(bits / n * LN2));
        if (rate(capacity, bits, hashes) <= targetRate) {
          if (bits > BloomFilter.MAX_SIZE_BITS || hashes > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                String.format(
                    "a Bloom filter for %d elements at false-positive rate %s needs %d bits,"
                        + " more than DataSketches' maximum %d: lower expectedInsertions or raise"
                        + " the shards",
                    capacity, targetRate, bits, BloomFilter.MAX_SIZE_BITS));
          }
          return new Sizing(capacity, bits, hashes);
        }
        bits = (long) Math.ceil(bits * 1.01);
      }
    }

    private static double rate(long n, long bits, int hashes) {
      return Math.pow(1 - Math.exp(-(double) hashes * n / bits), hashes);
    }

    long capacity() {
      return capacity;
    }

    long bits() {
      return bits;
    }

    int hashes() {
      return hashes;
    }

    /** The false-positive rate of a filter that holds {@code capacity} elements. */
    double falsePositiveRate() {
      return rate(capacity, bits, hashes);
    }

    BloomFilter newFilter() {
      return BloomFilterBuilder.createBySize(bits, hashes, HASH_SEED);
    }
  }

  /** Encodes the generations in order: index, insertions, and the filter's serialized image. */
  static final class Coder extends AtomicCoder<SeenFilter> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SeenFilter value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.generations.size(), out);
      for (Map.Entry<Long, Generation> entry : value.generations.entrySet()) {
        VarLongCoder.of().encode(entry.getKey(), out);
        VarLongCoder.of().encode(entry.getValue().insertions, out);
        ByteArrayCoder.of().encode(entry.getValue().filter.toByteArray(), out);
      }
    }

    @Override
    public SeenFilter decode(InputStream in) throws IOException {
      int size = VarIntCoder.of().decode(in);
      TreeMap<Long, Generation> generations = new TreeMap<>();
      for (int i = 0; i < size; i++) {
        long index = VarLongCoder.of().decode(in);
        long insertions = VarLongCoder.of().decode(in);
        BloomFilter filter = BloomFilter.heapify(Memory.wrap(ByteArrayCoder.of().decode(in)));
        generations.put(index, new Generation(filter, insertions));
      }
      return new SeenFilter(generations);
    }
  }
}
