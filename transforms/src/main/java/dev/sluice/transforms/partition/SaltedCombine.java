package dev.sluice.transforms.partition;

import dev.sluice.transforms.combine.CombineSteps;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A per-key combine for skewed ("hot") keys: each hot key is salted into up to {@code n} sub-keys,
 * the values are combined per sub-key, the salt is stripped and the partial results are merged per
 * key. Whichever worker or partition a sub-key lands on receives about {@code 1/n} of the key's
 * values, so one hot key no longer loads one partition with all of them, and the result is exactly
 * that of {@code Combine.perKey(fn)} for any {@link CombineFn} (whose merge is, as Beam requires,
 * associative and commutative).
 *
 * <p>The salt splits hot keys, not cold ones: each worker (DoFn instance) counts the elements of
 * each key it salts and gives the {@code j}-th one salt {@code floorMod(base + offset + floor(j /
 * 16), n)}, where {@code base} is the key's {@link StableHash stable hash} and {@code offset} the
 * stable hash of the first element the worker salted. So a worker keeps a key with at most 16 of
 * its elements on one sub-key (no more spreading than the per-worker pre-combining of {@code
 * Combine.perKey} does anyway), while a hot key's elements rotate over all {@code n} sub-keys in
 * runs of 16, from a different point on each worker, however large or small the bundles are. Which
 * salt an element gets depends on its worker's history, so it can differ between runs (the result
 * never does). A worker remembers the counts of at most 100 000 keys, then starts afresh, which
 * costs evenness, never correctness. {@link #saltKeys(int)} is this first step on its own, for
 * measuring the load the salted grouping keys put on a partitioning (with {@link HashPartition} and
 * {@link PartitionStats}).
 *
 * <p>Choosing {@code n}: the sub-keys of a hot key land in partitions by hash, like balls thrown
 * into bins, so an even load needs a fanout of several times the number of partitions (or workers),
 * not just equal to it: on Zipf-skewed keys (exponent 1.2) over 8 partitions, a fanout of 128
 * halved the largest partition's load. A fanout is cheap for cold keys, which never use more than
 * one sub-key per worker; the second stage receives at most {@code n} partial results per hot key
 * from each bundle.
 *
 * <p>Compared with Beam's own {@code Combine.perKey(fn).withHotKeyFanout(n)}: that one sends all of
 * a bundle's elements of a key to one random sub-key, so a hot key is only spread if it arrives in
 * many bundles (a batch job's few large bundles leave it in a few sub-keys), and the load it
 * produces cannot be observed. Here a hot key is spread within each bundle as well as across them,
 * a cold key is not split within a worker, and the load is measurable with {@link #saltKeys}.
 * Windowing is kept. With merging windows, the sessions a key's sub-keys form are merged again into
 * the key's sessions (the partial results are timestamped at their earliest element so that none
 * arrives after its merged session has fired; the {@code LATEST} timestamp combiner is therefore
 * refused with merging windows). In accumulating mode the first stage discards fired panes so that
 * the second stage does not count any value twice.
 *
 * <pre>{@code
 * PCollection<KV<String, Long>> bytesPerUser =
 *     requests.apply(
 *         "BytesPerUser", SaltedCombine.<String, Long, Long>perKey(Sum.ofLongs()).withFanout(128));
 * }</pre>
 *
 * <p>As with {@code Combine.perKey(fn).withHotKeyFanout(n)}, Java cannot infer the key type through
 * the {@code withFanout} call: name the types on {@code perKey} as above.
 */
public final class SaltedCombine {
  /** The fanout when none is given: enough to spread a hot key evenly over 8 to 16 partitions. */
  public static final int DEFAULT_FANOUT = 128;

  /** The largest fanout accepted. */
  public static final int MAX_FANOUT = 10_000;

  private SaltedCombine() {}

  /**
   * Combines the values of each key with {@code fn}, salting hot keys {@link #DEFAULT_FANOUT} ways.
   */
  public static <K, InputT, OutputT> PerKey<K, InputT, OutputT> perKey(
      CombineFn<InputT, ?, OutputT> fn) {
    Checks.checkArgument(fn != null, "fn must not be null");
    return new PerKey<>(fn, DEFAULT_FANOUT);
  }

  /**
   * Salts hot keys up to {@code fanout} ways: {@code KV<key, value>} becomes {@code KV<KV<key,
   * salt>, value>} with {@code salt} in {@code [0, fanout)}; the first step of {@link PerKey}.
   */
  public static <K, V> SaltKeys<K, V> saltKeys(int fanout) {
    return new SaltKeys<>(checkFanout(fanout));
  }

  private static int checkFanout(int fanout) {
    Checks.checkArgument(
        fanout >= 1 && fanout <= MAX_FANOUT,
        "fanout must be in [1, %s], was %s",
        MAX_FANOUT,
        fanout);
    return fanout;
  }

  /** See {@link SaltedCombine#perKey}. */
  public static final class PerKey<K, InputT, OutputT>
      extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
    private final CombineFn<InputT, ?, OutputT> fn;
    private final int fanout;

    private PerKey(CombineFn<InputT, ?, OutputT> fn, int fanout) {
      this.fn = fn;
      this.fanout = fanout;
    }

    /**
     * Salts hot keys up to {@code fanout} ways, between 1 (no spreading) and 10 000; several times
     * the number of workers that should share a hot key.
     */
    public PerKey<K, InputT, OutputT> withFanout(int fanout) {
      return new PerKey<>(fn, checkFanout(fanout));
    }

    public int fanout() {
      return fanout;
    }

    @Override
    public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
      return expandWith(input, fn);
    }

    private <AccumT> PCollection<KV<K, OutputT>> expandWith(
        PCollection<KV<K, InputT>> input, CombineFn<InputT, AccumT, OutputT> fn) {
      KvCoder<K, InputT> coder = Checks.kvCoder("SaltedCombine", input);
      Checks.checkDeterministicKeys("SaltedCombine", coder.getKeyCoder());
      Coder<AccumT> accumCoder;
      try {
        accumCoder =
            fn.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), coder.getValueCoder());
      } catch (CannotProvideCoderException e) {
        throw new IllegalArgumentException(
            "SaltedCombine needs a coder for the accumulators of " + fn + ": " + e.getMessage(), e);
      }

      // Like Beam's hot-key fanout: the first stage never accumulates fired panes, or the second
      // stage would merge the same values once per firing.
      WindowingStrategy<?, ?> original = input.getWindowingStrategy();
      WindowingStrategy<?, ?> firstStage =
          original.getMode() == AccumulationMode.ACCUMULATING_FIRED_PANES
              ? original.withMode(AccumulationMode.DISCARDING_FIRED_PANES)
              : original;
      if (!original.getWindowFn().isNonMerging()) {
        // A sub-key's session can end before another sub-key's session of the same key that
        // overlaps it. Timestamping partial results at their earliest element holds the
        // watermark below every pending session's start, so no merged window of the second stage
        // fires before all the partial results that merge into it have arrived.
        Checks.checkArgument(
            original.getTimestampCombiner() != TimestampCombiner.LATEST,
            "SaltedCombine cannot keep the LATEST timestamp combiner with merging windows (%s):"
                + " use END_OF_WINDOW or EARLIEST, or Combine.perKey",
            original.getWindowFn());
        firstStage = firstStage.withTimestampCombiner(TimestampCombiner.EARLIEST);
      }

      PCollection<KV<KV<K, Integer>, AccumT>> partial =
          input
              .apply("SaltKeys", new SaltKeys<K, InputT>(fanout))
              .setWindowingStrategyInternal(firstStage)
              .apply("CombinePerSaltedKey", Combine.perKey(CombineSteps.partial(fn, accumCoder)))
              .setCoder(KvCoder.of(KvCoder.of(coder.getKeyCoder(), VarIntCoder.of()), accumCoder));
      // The partial results go back to the input's windowing, merging windows not yet merged:
      // the sessions each sub-key formed merge into the sessions of the whole key.
      return partial
          .apply("StripSalt", ParDo.of(new StripSaltFn<K, AccumT>()))
          .setCoder(KvCoder.of(coder.getKeyCoder(), accumCoder))
          .apply("Remerge", Window.<KV<K, AccumT>>remerge())
          .setWindowingStrategyInternal(original)
          .apply("MergePerKey", Combine.perKey(CombineSteps.merge(fn, coder.getValueCoder())));
    }
  }

  /** See {@link SaltedCombine#saltKeys}. */
  public static final class SaltKeys<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<KV<K, Integer>, V>>> {
    private final int fanout;

    private SaltKeys(int fanout) {
      this.fanout = fanout;
    }

    @Override
    public PCollection<KV<KV<K, Integer>, V>> expand(PCollection<KV<K, V>> input) {
      KvCoder<K, V> coder = Checks.kvCoder("SaltedCombine", input);
      Checks.checkDeterministicKeys("SaltedCombine", coder.getKeyCoder());
      return input
          .apply("AddSalt", ParDo.of(new SaltFn<K, V>(fanout, coder)))
          .setCoder(
              KvCoder.of(KvCoder.of(coder.getKeyCoder(), VarIntCoder.of()), coder.getValueCoder()));
    }
  }

  /** Salts each key through a {@link KeySalter} whose offset is the first element's hash. */
  static final class SaltFn<K, V> extends DoFn<KV<K, V>, KV<KV<K, Integer>, V>> {
    private final int fanout;
    private final Coder<KV<K, V>> elementCoder;
    private final Coder<K> keyCoder;
    private transient @Nullable KeySalter salter;

    SaltFn(int fanout, KvCoder<K, V> elementCoder) {
      this.fanout = fanout;
      this.elementCoder = elementCoder;
      this.keyCoder = elementCoder.getKeyCoder();
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<KV<K, Integer>, V>> out) {
      if (salter == null) {
        salter = new KeySalter(fanout, StableHash.hash64(StableHash.encode(elementCoder, element)));
      }
      int salt = salter.salt(StableHash.encode(keyCoder, element.getKey()));
      out.output(KV.of(KV.of(element.getKey(), salt), element.getValue()));
    }
  }

  static final class StripSaltFn<K, AccumT>
      extends DoFn<KV<KV<K, Integer>, AccumT>, KV<K, AccumT>> {
    @ProcessElement
    public void process(
        @Element KV<KV<K, Integer>, AccumT> partial, OutputReceiver<KV<K, AccumT>> out) {
      out.output(KV.of(partial.getKey().getKey(), partial.getValue()));
    }
  }
}
