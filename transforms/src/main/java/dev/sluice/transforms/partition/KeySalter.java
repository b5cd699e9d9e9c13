package dev.sluice.transforms.partition;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker's salting state for {@link SaltedCombine}: the {@code j}-th element of a key it sees
 * gets salt {@code floorMod(base + offset + floor(j / RUN_LENGTH), fanout)}, where {@code base} is
 * the key's stable hash and {@code offset} is fixed per worker. Public so that benchmarks measure
 * the salts Sluice assigns rather than a copy of the formula.
 */
public final class KeySalter {
  /** How many consecutive elements of a key a worker gives the same salt. */
  static final int RUN_LENGTH = 16;

  /** How many distinct keys a worker remembers before it starts counting afresh. */
  static final int MAX_TRACKED_KEYS = 100_000;

  private final int fanout;
  private final long offset;
  private final Map<ByteBuffer, long[]> seen = new HashMap<>();

  public KeySalter(int fanout, long offset) {
    this.fanout = fanout;
    this.offset = Math.floorMod(offset, (long) fanout);
  }

  /** The salt, in {@code [0, fanout)}, of the next element whose key encodes to {@code key}. */
  public int salt(byte[] key) {
    ByteBuffer wrapped = ByteBuffer.wrap(key);
    long[] count = seen.get(wrapped);
    if (count == null) {
      if (seen.size() >= MAX_TRACKED_KEYS) {
        // Bounded memory: forgotten keys start a new run; only evenness suffers, never results.
        seen.clear();
      }
      count = new long[1];
      seen.put(wrapped, count);
    }
    long occurrence = count[0]++;
    long base = Math.floorMod(StableHash.hash64(key), (long) fanout);
    return (int) ((base + offset + (occurrence / RUN_LENGTH) % fanout) % fanout);
  }
}
