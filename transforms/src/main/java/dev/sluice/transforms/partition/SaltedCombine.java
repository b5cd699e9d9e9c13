package dev.sluice.transforms.partition;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;

/**
 * A per-key combine for skewed ("hot") keys: each hot key is salted into up to {@code n} sub-keys,
 * the values are combined per sub-key, the salt is stripped and the partial results are merged per
 * key. Whichever worker or partition a sub-key lands on receives about {@code 1/n} of the key's
 * values, so one hot key no longer loads one partition with all of them, and the result is exactly
 * that of {@code Combine.perKey(fn)} for any {@link CombineFn} (whose merge is, as Beam requires,
 * associative and commutative).
 *
 * <p>The salt spreads only keys that are hot: each worker (DoFn instance) counts the elements of
 * each key it salts and gives the {@code j}-th one salt {@code floorMod(base + floor(j / 16), n)},
 * where {@code base} is the key's {@link StableHash stable hash} modulo {@code n}. A key with at
 * most 16 elements per worker thus keeps the single sub-key {@code base} everywhere and is not
 * split for nothing, while a hot key's elements rotate over all {@code n} sub-keys in runs of 16,
 * evenly however large or small the bundles are. Which salt an element gets depends on what its
 * worker salted before, so it can differ between runs (the result never does). A worker remembers
 * the counts of at most 100 000 keys, then starts afresh, which costs evenness, never correctness.
 * {@link #saltKeys(int)} is this first step on its own, for measuring the load the salted grouping
 * keys put on a partitioning (with {@link HashPartition} and {@link PartitionStats}).
 *
 * <p>Choosing {@code n}: the sub-keys of a hot key land in partitions by hash, like balls thrown
 * into bins, so an even load needs a fanout of several times the number of partitions (or workers),
 * not just equal to it; on Zipf-skewed keys over 8 partitions, 128 halved the largest partition's
 * load where 32 did not. The second stage receives at most {@code n} partial results per key from
 * each bundle.
 *
 * <p>Compared with Beam's own {@code Combine.perKey(fn).withHotKeyFanout(n)}: that one sends all of
 * a bundle's elements of a key to one random sub-key, so a hot key is only spread if it arrives in
 * many bundles (a batch job's few large bundles leave it in a few sub-keys), cold keys are split
 * across bundles just like hot ones, and the load it produces cannot be observed. Here a key is
 * split only once it is hot, within and across bundles, and the load is measurable with {@link
 * #saltKeys}. Windowing is kept, including merging windows (a key's sessions are re-merged after
 * the salt is stripped), and in accumulating mode the first stage discards fired panes so that the
 * second stage does not count any value twice.
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

  /** How many consecutive elements of a key a worker gives the same salt. */
  static final int RUN_LENGTH = 16;

  /** How many distinct keys a salting worker remembers before it starts counting afresh. */
  static final int MAX_TRACKED_KEYS = 100_000;

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

      PCollection<KV<KV<K, Integer>, AccumT>> partial =
          input
              .apply("SaltKeys", new SaltKeys<K, InputT>(fanout))
              .setWindowingStrategyInternal(firstStage)
              .apply("CombinePerSaltedKey", Combine.perKey(new PartialFn<>(fn, accumCoder)))
              .setCoder(KvCoder.of(KvCoder.of(coder.getKeyCoder(), VarIntCoder.of()), accumCoder));
      // The partial results go back to the input's windowing, merging windows not yet merged:
      // the sessions each sub-key formed merge into the sessions of the whole key.
      return partial
          .apply("StripSalt", ParDo.of(new StripSaltFn<K, AccumT>()))
          .setCoder(KvCoder.of(coder.getKeyCoder(), accumCoder))
          .apply("Remerge", Window.<KV<K, AccumT>>remerge())
          .setWindowingStrategyInternal(original)
          .apply("MergePerKey", Combine.perKey(new MergeFn<>(fn, coder.getValueCoder())));
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
          .apply("AddSalt", ParDo.of(new SaltFn<K, V>(fanout, coder.getKeyCoder())))
          .setCoder(
              KvCoder.of(KvCoder.of(coder.getKeyCoder(), VarIntCoder.of()), coder.getValueCoder()));
    }
  }

  /**
   * Salts keys in runs: the {@code j}-th element of a key this DoFn instance salts gets salt {@code
   * floorMod(base + j / RUN_LENGTH, fanout)}, where {@code base} is the key's stable hash.
   */
  static final class SaltFn<K, V> extends DoFn<KV<K, V>, KV<KV<K, Integer>, V>> {
    private final int fanout;
    private final Coder<K> keyCoder;
    private transient Map<ByteBuffer, long[]> seen;

    SaltFn(int fanout, Coder<K> keyCoder) {
      this.fanout = fanout;
      this.keyCoder = keyCoder;
    }

    @Setup
    public void setup() {
      seen = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<KV<K, Integer>, V>> out) {
      byte[] key = StableHash.encode(keyCoder, element.getKey());
      long[] count = seen.get(ByteBuffer.wrap(key));
      if (count == null) {
        if (seen.size() >= MAX_TRACKED_KEYS) {
          // Bounded memory: forgotten keys start again at their base salt; only evenness suffers.
          seen.clear();
        }
        count = new long[1];
        seen.put(ByteBuffer.wrap(key), count);
      }
      long occurrence = count[0]++;
      long base = Math.floorMod(StableHash.hash64(key), (long) fanout);
      int salt = (int) ((base + occurrence / RUN_LENGTH) % fanout);
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

  /** Combines values into an accumulator and emits the accumulator itself. */
  static final class PartialFn<InputT, AccumT> extends CombineFn<InputT, AccumT, AccumT> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<AccumT> accumCoder;

    PartialFn(CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> accumCoder) {
      this.fn = fn;
      this.accumCoder = accumCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, InputT input) {
      return fn.addInput(accumulator, input);
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public AccumT compact(AccumT accumulator) {
      return fn.compact(accumulator);
    }

    @Override
    public AccumT extractOutput(AccumT accumulator) {
      return fn.compact(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumCoder;
    }

    @Override
    public Coder<AccumT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumCoder;
    }
  }

  /** Merges partial accumulators and extracts the final output. */
  static final class MergeFn<InputT, AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<InputT, AccumT, OutputT> fn;
    private final Coder<InputT> inputCoder;

    MergeFn(CombineFn<InputT, AccumT, OutputT> fn, Coder<InputT> inputCoder) {
      this.fn = fn;
      this.inputCoder = inputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT partial) {
      // The running accumulator goes first: merges conventionally update the first one in place.
      return fn.mergeAccumulators(Arrays.asList(accumulator, partial));
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public AccumT compact(AccumT accumulator) {
      return fn.compact(accumulator);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> accumCoder) {
      return accumCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> accumCoder)
        throws CannotProvideCoderException {
      return fn.getDefaultOutputCoder(registry, inputCoder);
    }
  }
}
