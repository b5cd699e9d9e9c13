package dev.sluice.transforms.partition;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/** Argument checks shared by the partitioners, with messages that name the parameter and value. */
final class Checks {
  /**
   * The most partitions a partitioner accepts: each one is a PCollection when split and a counter
   * in the metrics, so more would overwhelm a job graph and a metrics backend long before the data.
   */
  static final int MAX_PARTITIONS = 10_000;

  private Checks() {}

  static void checkArgument(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }

  static int checkNumPartitions(int numPartitions) {
    checkArgument(
        numPartitions >= 1 && numPartitions <= MAX_PARTITIONS,
        "numPartitions must be in [1, %s], was %s",
        MAX_PARTITIONS,
        numPartitions);
    return numPartitions;
  }

  /** The input's {@link KvCoder}, or a clear error naming the transform and the coder found. */
  @SuppressWarnings("unchecked")
  static <K, V> KvCoder<K, V> kvCoder(String transform, PCollection<KV<K, V>> input) {
    Coder<?> coder = input.getCoder();
    checkArgument(
        coder instanceof KvCoder,
        "%s needs a PCollection<KV<K, V>> encoded with a KvCoder, was %s",
        transform,
        coder);
    return (KvCoder<K, V>) coder;
  }

  /**
   * Refuses a key coder that is not deterministic: equal keys must encode to equal bytes, or the
   * same key would hash, and land, differently on different workers.
   */
  static void checkDeterministicKeys(String transform, Coder<?> keyCoder) {
    try {
      keyCoder.verifyDeterministic();
    } catch (Coder.NonDeterministicException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s needs a deterministic key coder, so that equal keys encode to equal bytes on"
                  + " every worker; %s is not: %s",
              transform, keyCoder, e.getMessage()),
          e);
    }
  }
}
