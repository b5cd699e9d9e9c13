package dev.sluice.transforms.join;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.values.KV;

/**
 * The reference model the join tests compare against: a plain nested-loop join over two lists,
 * written without any of the code under test except the row value types.
 */
final class NestedLoopJoin {
  private NestedLoopJoin() {}

  /**
   * Every (left, right) pair with equal keys; then, if asked, each left value whose key is not on
   * the right and each right value whose key is not on the left, with the other side absent.
   */
  static <K, L, R> List<KV<K, Joined<L, R>>> join(
      List<KV<K, L>> left, List<KV<K, R>> right, boolean keepLeftOnly, boolean keepRightOnly) {
    List<KV<K, Joined<L, R>>> rows = new ArrayList<>();
    for (KV<K, L> l : left) {
      boolean matched = false;
      for (KV<K, R> r : right) {
        if (l.getKey().equals(r.getKey())) {
          rows.add(KV.of(l.getKey(), Joined.both(l.getValue(), r.getValue())));
          matched = true;
        }
      }
      if (!matched && keepLeftOnly) {
        rows.add(KV.of(l.getKey(), Joined.leftOnly(l.getValue())));
      }
    }
    for (KV<K, R> r : right) {
      boolean matched = false;
      for (KV<K, L> l : left) {
        matched |= l.getKey().equals(r.getKey());
      }
      if (!matched && keepRightOnly) {
        rows.add(KV.of(r.getKey(), Joined.rightOnly(r.getValue())));
      }
    }
    return rows;
  }

  /**
   * {@code n} records with keys {@code k<firstKey> .. k<lastKey>} drawn from a seeded generator, so
   * keys repeat (many-to-many); values are {@code prefix + index}, with every tenth record
   * repeating the previous one exactly (duplicate records).
   */
  static List<KV<String, String>> records(
      long seed, int n, int firstKey, int lastKey, String prefix) {
    Random random = new Random(seed);
    List<KV<String, String>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % 10 == 9) {
        records.add(records.get(i - 1));
      } else {
        records.add(KV.of("k" + (firstKey + random.nextInt(lastKey - firstKey + 1)), prefix + i));
      }
    }
    return records;
  }
}
