package dev.sluice.transforms.partition;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * The stable hash behind {@link HashPartition}: the same key gives the same hash, and so the same
 * partition, on every JVM, worker and runner, and can be reproduced outside Java.
 *
 * <p>The exact formula, for a key {@code key} whose coder is {@code keyCoder}, and {@code k}
 * partitions:
 *
 * <ol>
 *   <li>{@code bytes} = the key encoded by its (deterministic) coder in the outer context, as
 *       {@link CoderUtils#encodeToByteArray(Coder, Object)} does: for {@code StringUtf8Coder} the
 *       UTF-8 bytes with no length prefix, for {@code VarLongCoder} the varint, for {@code
 *       BigEndianLongCoder} the 8 bytes big-endian;
 *   <li>{@code h1} = the first 64-bit half of MurmurHash3_x64_128({@code bytes}, seed {@code
 *       0x736C7569}, the {@link #SEED}), as a signed long (the first 8 bytes of the 16-byte digest
 *       read little-endian);
 *   <li>{@code partition = floorMod(h1, k)}, which lies in {@code [0, k)}.
 * </ol>
 *
 * <p>The seed is not DataSketches' default (9001) on purpose: a per-partition HyperLogLog or Theta
 * sketch hashed with the same function and seed would see only keys whose low hash bits agree and
 * fill a fraction of its slots.
 *
 * <pre>{@code
 * int p = StableHash.partitionOf("user-42", StringUtf8Coder.of(), 8);
 * }</pre>
 */
public final class StableHash {
  /** The MurmurHash3 seed: the ASCII bytes of {@code "slui"}. */
  public static final long SEED = 0x736C7569L;

  private StableHash() {}

  /** The first 64 bits of MurmurHash3_x64_128 of {@code bytes} with seed {@link #SEED}. */
  public static long hash64(byte[] bytes) {
    if (bytes.length == 0) {
      // DataSketches refuses empty input; this is the reference algorithm's finalization for it.
      return hashOfEmpty();
    }
    return MurmurHash3.hash(bytes, SEED)[0];
  }

  /** {@code floorMod(hash64(bytes), numPartitions)}. */
  public static int partitionOf(byte[] bytes, int numPartitions) {
    Checks.checkNumPartitions(numPartitions);
    return (int) Math.floorMod(hash64(bytes), (long) numPartitions);
  }

  /** The partition of {@code key} among {@code numPartitions}; see the class documentation. */
  public static <K> int partitionOf(K key, Coder<K> keyCoder, int numPartitions) {
    return partitionOf(encode(keyCoder, key), numPartitions);
  }

  /** {@code value} encoded by {@code coder} in the outer context, as hashed here. */
  static <T> byte[] encode(Coder<T> coder, T value) {
    try {
      return CoderUtils.encodeToByteArray(coder, value);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode " + value + " with " + coder, e);
    }
  }

  /** MurmurHash3_x64_128's h1 for a zero-length input: no blocks, no tail, then finalization. */
  private static long hashOfEmpty() {
    long h1 = SEED;
    long h2 = SEED;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    return h1 + h2;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
