package dev.sluice.transforms.distinct;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.datasketches.hash.MurmurHash3;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Lets through only the first copy of each element of a stream, remembering what it has seen in
 * Bloom filters (Apache DataSketches) instead of storing the elements: memory stays a fixed number
 * of bits per expected element, at the price of a bounded rate of false positives (a new element
 * taken for a repeat and dropped). Repeats are never let through (a Bloom filter has no false
 * negatives) while they are remembered.
 *
 * <p><b>How.</b> Each element is hashed from its encoding by the input's coder ({@link
 * #keyedValues()}: the key's), never from {@code hashCode()}, and sent by that hash to one of
 * {@link Values#withShards shards} shards, each a key of a stateful {@code DoFn} holding its own
 * filters. Each filter is sized for {@code expectedInsertions / shards} elements plus four standard
 * deviations of the hash's imbalance, so that a filter holding that many elements has a
 * false-positive rate at most {@link Values#withFalsePositiveRate the rate asked for}: the first
 * filled elements see a much lower rate, the rate passes the bound only once a filter holds more
 * than its capacity (counted in the metric {@code sluice.distinct/over_capacity}). Metrics {@code
 * sluice.distinct/first_seen} and {@code sluice.distinct/suppressed} count what was let through and
 * what was dropped (repeats and false positives together); with expiry, {@code
 * sluice.distinct/generations_dropped} counts the filters forgotten.
 *
 * <p><b>Forgetting.</b> The seeds asked for a counting Bloom filter, which can delete;
 * DataSketches' filter cannot. Forgetting is done with generations instead, as with rotating
 * filters: with {@link Values#withExpiry withExpiry(e)}, event time is cut into generations of
 * length {@code e} (aligned to the epoch); an element is looked up in its own generation and the
 * two next to it, remembered in its own, and a generation is dropped once the watermark passes two
 * generations beyond it. So two copies less than {@code e} apart in event time are always treated
 * as repeats (unless the one processed second is behind the watermark), copies at least {@code 2e}
 * apart never are, whatever the order in which they are processed, and memory holds about three
 * generations. In batch the watermark stays back until the input is read, so nothing is dropped
 * early, and the generations alone decide what counts as a repeat. {@code expectedInsertions} then
 * means per generation, and each filter is sized for a third of the rate, so that the three lookups
 * together stay within it. Without expiry an element is remembered as long as its window lives (in
 * the global window, for ever). Deleting single elements, which a counting filter allows, is what
 * is left out.
 *
 * <p><b>Windows and runners.</b> Filters are per window: elements are de-duplicated within their
 * window. Apply it before windowing to de-duplicate a whole stream. It is a stateful {@code DoFn},
 * and with expiry it sets event-time timers: Beam 2.70's Spark runner refuses those in streaming
 * mode ("EVENT_TIME not yet supported in streaming mode") when the pipeline starts, so on Spark use
 * expiry in batch pipelines only; without expiry it runs in both modes on Direct, Flink and Spark.
 *
 * <pre>{@code
 * PCollection<String> firstClicks =
 *     clickIds.apply(
 *         "DropRepeatedClicks",
 *         ApproximateDeduplicate.<String>values()
 *             .withExpectedInsertions(10_000_000)
 *             .withFalsePositiveRate(0.001)
 *             .withExpiry(Duration.standardHours(1)));
 *
 * PCollection<KV<String, Event>> firstEventPerUser =
 *     eventsByUser.apply("FirstPerUser", ApproximateDeduplicate.<String, Event>keyedValues());
 * }</pre>
 */
public final class ApproximateDeduplicate {
  /** The expected number of distinct elements, unless set. */
  public static final long DEFAULT_EXPECTED_INSERTIONS = 1_000_000L;

  /** The false-positive rate, unless set. */
  public static final double DEFAULT_FALSE_POSITIVE_RATE = 0.01;

  /** The number of shards (parallel filters), unless set. */
  public static final int DEFAULT_SHARDS = 16;

  /** The largest number of shards. */
  public static final int MAX_SHARDS = 1 << 16;

  static final String METRICS_NAMESPACE = "sluice.distinct";
  private static final long SHARD_HASH_SEED = 0x5eed5L;

  private ApproximateDeduplicate() {}

  /** Lets through the first copy of each element. */
  public static <T> Values<T> values() {
    return new Values<>(Settings.DEFAULT);
  }

  /** Lets through the first element of each key; later elements with a key seen are dropped. */
  public static <K, V> KeyedValues<K, V> keyedValues() {
    return new KeyedValues<>(Settings.DEFAULT);
  }

  /**
   * De-duplicates whole elements. Create with {@link ApproximateDeduplicate#values()}.
   *
   * <pre>{@code
   * PCollection<String> once =
   *     ids.apply("Once", ApproximateDeduplicate.<String>values().withShards(32));
   * }</pre>
   */
  public static final class Values<T> extends PTransform<PCollection<T>, PCollection<T>> {
    private final Settings settings;

    private Values(Settings settings) {
      this.settings = settings;
    }

    /** How many distinct elements to expect (per generation, with expiry); at least 1. */
    public Values<T> withExpectedInsertions(long expectedInsertions) {
      return new Values<>(settings.withExpectedInsertions(expectedInsertions));
    }

    /** The highest rate of new elements wrongly dropped, in (0, 1); 0.01 by default. */
    public Values<T> withFalsePositiveRate(double falsePositiveRate) {
      return new Values<>(settings.withFalsePositiveRate(falsePositiveRate));
    }

    /** How many filters work in parallel, in [1, 65536]; 16 by default. */
    public Values<T> withShards(int shards) {
      return new Values<>(settings.withShards(shards));
    }

    /**
     * Treats copies less than {@code expiry} apart in event time as repeats and forgets older
     * elements as the watermark passes (see the class documentation); positive.
     */
    public Values<T> withExpiry(Duration expiry) {
      return new Values<>(settings.withExpiry(expiry));
    }

    @Override
    public PCollection<T> expand(PCollection<T> input) {
      Coder<T> coder = input.getCoder();
      ElementEncoding.checkDeterministic("ApproximateDeduplicate.values: the element coder", coder);
      return settings.deduplicate(input, new WholeElement<>(coder), coder);
    }
  }

  /**
   * De-duplicates by key. Create with {@link ApproximateDeduplicate#keyedValues()}.
   *
   * <pre>{@code
   * PCollection<KV<String, Order>> firstOrderPerCustomer =
   *     ordersByCustomer.apply("FirstOrder", ApproximateDeduplicate.<String, Order>keyedValues());
   * }</pre>
   */
  public static final class KeyedValues<K, V>
      extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> {
    private final Settings settings;

    private KeyedValues(Settings settings) {
      this.settings = settings;
    }

    /** How many distinct keys to expect (per generation, with expiry); at least 1. */
    public KeyedValues<K, V> withExpectedInsertions(long expectedInsertions) {
      return new KeyedValues<>(settings.withExpectedInsertions(expectedInsertions));
    }

    /** The highest rate of new keys wrongly dropped, in (0, 1); 0.01 by default. */
    public KeyedValues<K, V> withFalsePositiveRate(double falsePositiveRate) {
      return new KeyedValues<>(settings.withFalsePositiveRate(falsePositiveRate));
    }

    /** How many filters work in parallel, in [1, 65536]; 16 by default. */
    public KeyedValues<K, V> withShards(int shards) {
      return new KeyedValues<>(settings.withShards(shards));
    }

    /**
     * Treats copies less than {@code expiry} apart in event time as repeats and forgets older keys
     * as the watermark passes (see the class documentation); positive.
     */
    public KeyedValues<K, V> withExpiry(Duration expiry) {
      return new KeyedValues<>(settings.withExpiry(expiry));
    }

    @Override
    public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
      if (!(input.getCoder() instanceof KvCoder)) {
        throw new IllegalArgumentException(
            "ApproximateDeduplicate.keyedValues needs a KvCoder on its input, was "
                + input.getCoder());
      }
      Coder<K> keyCoder = ((KvCoder<K, V>) input.getCoder()).getKeyCoder();
      ElementEncoding.checkDeterministic(
          "ApproximateDeduplicate.keyedValues: the key coder", keyCoder);
      return settings.deduplicate(input, new KeyOf<K, V>(keyCoder), input.getCoder());
    }
  }

  /** The validated configuration shared by both transforms, and the expansion they share. */
  static final class Settings implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Settings DEFAULT =
        new Settings(
            DEFAULT_EXPECTED_INSERTIONS, DEFAULT_FALSE_POSITIVE_RATE, DEFAULT_SHARDS, null);

    final long expectedInsertions;
    final double falsePositiveRate;
    final int shards;
    final @Nullable Duration expiry;

    private Settings(
        long expectedInsertions, double falsePositiveRate, int shards, @Nullable Duration expiry) {
      this.expectedInsertions = expectedInsertions;
      this.falsePositiveRate = falsePositiveRate;
      this.shards = shards;
      this.expiry = expiry;
    }

    Settings withExpectedInsertions(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("expectedInsertions must be at least 1, was " + n);
      }
      return new Settings(n, falsePositiveRate, shards, expiry);
    }

    Settings withFalsePositiveRate(double p) {
      if (!(p > 0 && p < 1)) {
        throw new IllegalArgumentException(
            "falsePositiveRate must be in (0, 1) (e.g. 0.01 for 1 %), was " + p);
      }
      return new Settings(expectedInsertions, p, shards, expiry);
    }

    Settings withShards(int s) {
      if (s < 1 || s > MAX_SHARDS) {
        throw new IllegalArgumentException("shards must be in [1, " + MAX_SHARDS + "], was " + s);
      }
      return new Settings(expectedInsertions, falsePositiveRate, s, expiry);
    }

    Settings withExpiry(Duration e) {
      requireNonNull(e, "expiry");
      if (e.getMillis() <= 0) {
        throw new IllegalArgumentException("expiry must be positive, was " + e);
      }
      return new Settings(expectedInsertions, falsePositiveRate, shards, e);
    }

    /**
     * Each shard's filter: sized for its share of the elements plus four standard deviations of a
     * binomial share, at the full rate, or at a third of it when three generations are looked up.
     */
    SeenFilter.Sizing sizing() {
      double share = (double) expectedInsertions / shards;
      double spread = Math.sqrt(share * (1 - 1.0 / shards));
      long capacity = (long) Math.ceil(share + 4 * spread);
      double rate = expiry == null ? falsePositiveRate : falsePositiveRate / 3;
      return SeenFilter.Sizing.of(capacity, rate);
    }

    /**
     * The expansion of both transforms. The filter size depends on several settings together, so it
     * is checked here, when the pipeline is built, rather than in one {@code withX}.
     */
    <T> PCollection<T> deduplicate(PCollection<T> input, Identity<T> identity, Coder<T> coder) {
      SeenFilter.Sizing sizing = sizing();
      PCollection<KV<Integer, T>> sharded =
          input
              .apply("AssignShard", ParDo.of(new AssignShardFn<>(identity, shards)))
              .setCoder(KvCoder.of(VarIntCoder.of(), coder));
      DoFn<KV<Integer, T>, T> filter =
          expiry == null
              ? new FilterFn<>(identity, sizing)
              : new ExpiringFilterFn<>(identity, sizing, expiry);
      return sharded.apply("DropSeen", ParDo.of(filter)).setCoder(coder);
    }
  }

  /** The bytes that identify an element for de-duplication. */
  abstract static class Identity<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    abstract byte[] of(T element);
  }

  static final class WholeElement<T> extends Identity<T> {
    private static final long serialVersionUID = 1L;
    private final Coder<T> coder;

    WholeElement(Coder<T> coder) {
      this.coder = coder;
    }

    @Override
    byte[] of(T element) {
      return ElementEncoding.of(coder, element);
    }
  }

  static final class KeyOf<K, V> extends Identity<KV<K, V>> {
    private static final long serialVersionUID = 1L;
    private final Coder<K> keyCoder;

    KeyOf(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
    }

    @Override
    byte[] of(KV<K, V> element) {
      return ElementEncoding.of(keyCoder, element.getKey());
    }
  }

  /** Keys each element by its shard: MurmurHash3 of its identity, modulo the number of shards. */
  static final class AssignShardFn<T> extends DoFn<T, KV<Integer, T>> {
    private final Identity<T> identity;
    private final int shards;

    AssignShardFn(Identity<T> identity, int shards) {
      this.identity = identity;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, T>> out) {
      long hash = MurmurHash3.hash(identity.of(element), SHARD_HASH_SEED)[0];
      out.output(KV.of((int) Math.floorMod(hash, (long) shards), element));
    }
  }

  /** Remembers every element of the window in one filter per shard. */
  static final class FilterFn<T> extends DoFn<KV<Integer, T>, T> {
    private final Identity<T> identity;
    private final SeenFilter.Sizing sizing;
    private final Counter firstSeen = Metrics.counter(METRICS_NAMESPACE, "first_seen");
    private final Counter suppressed = Metrics.counter(METRICS_NAMESPACE, "suppressed");
    private final Counter overCapacity = Metrics.counter(METRICS_NAMESPACE, "over_capacity");

    @StateId("seen")
    private final StateSpec<ValueState<SeenFilter>> seenSpec =
        StateSpecs.value(SeenFilter.Coder.of());

    FilterFn(Identity<T> identity, SeenFilter.Sizing sizing) {
      this.identity = identity;
      this.sizing = sizing;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, T> element,
        @StateId("seen") ValueState<SeenFilter> seen,
        OutputReceiver<T> out) {
      SeenFilter filter = seen.read();
      if (filter == null) {
        filter = SeenFilter.empty();
      }
      if (filter.seenOrRemember(identity.of(element.getValue()), 0, sizing)) {
        suppressed.inc();
        return;
      }
      seen.write(filter);
      firstSeen.inc();
      if (filter.insertions(0) > sizing.capacity()) {
        overCapacity.inc();
      }
      out.output(element.getValue());
    }
  }

  /** Remembers elements by generation of event time; drops generations as the watermark passes. */
  static final class ExpiringFilterFn<T> extends DoFn<KV<Integer, T>, T> {
    private final Identity<T> identity;
    private final SeenFilter.Sizing sizing;
    private final long expiryMillis;
    private final Counter firstSeen = Metrics.counter(METRICS_NAMESPACE, "first_seen");
    private final Counter suppressed = Metrics.counter(METRICS_NAMESPACE, "suppressed");
    private final Counter overCapacity = Metrics.counter(METRICS_NAMESPACE, "over_capacity");
    private final Counter generationsDropped =
        Metrics.counter(METRICS_NAMESPACE, "generations_dropped");

    @StateId("seen")
    private final StateSpec<ValueState<SeenFilter>> seenSpec =
        StateSpecs.value(SeenFilter.Coder.of());

    @StateId("nextDrop")
    private final StateSpec<ValueState<Instant>> nextDropSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("drop")
    private final TimerSpec dropSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    ExpiringFilterFn(Identity<T> identity, SeenFilter.Sizing sizing, Duration expiry) {
      this.identity = identity;
      this.sizing = sizing;
      this.expiryMillis = expiry.getMillis();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, T> element,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        @StateId("seen") ValueState<SeenFilter> seen,
        @StateId("nextDrop") ValueState<Instant> nextDrop,
        @TimerId("drop") Timer drop,
        OutputReceiver<T> out) {
      SeenFilter filter = seen.read();
      if (filter == null) {
        filter = SeenFilter.empty();
      }
      long generation = Math.floorDiv(timestamp.getMillis(), expiryMillis);
      if (filter.seenOrRemember(identity.of(element.getValue()), generation, sizing)) {
        suppressed.inc();
        return;
      }
      seen.write(filter);
      firstSeen.inc();
      if (filter.insertions(generation) > sizing.capacity()) {
        overCapacity.inc();
      }
      scheduleDrop(filter, window, nextDrop, drop);
      out.output(element.getValue());
    }

    @OnTimer("drop")
    public void onDrop(
        OnTimerContext context,
        BoundedWindow window,
        @StateId("seen") ValueState<SeenFilter> seen,
        @StateId("nextDrop") ValueState<Instant> nextDrop,
        @TimerId("drop") Timer drop) {
      nextDrop.clear();
      SeenFilter filter = seen.read();
      if (filter == null) {
        return;
      }
      // A generation g goes once the watermark reaches the end of g + 1, i.e. (g + 2) * expiry.
      long firstKept = Math.floorDiv(context.fireTimestamp().getMillis(), expiryMillis) - 1;
      generationsDropped.inc(filter.forgetBefore(firstKept));
      if (filter.isEmpty()) {
        seen.clear();
        return;
      }
      seen.write(filter);
      scheduleDrop(filter, window, nextDrop, drop);
    }

    /** Sets the timer to when the oldest generation may go, unless one is set earlier already. */
    private void scheduleDrop(
        SeenFilter filter, BoundedWindow window, ValueState<Instant> nextDrop, Timer drop) {
      Instant at = new Instant((filter.oldestGeneration() + 2) * expiryMillis);
      if (at.isAfter(window.maxTimestamp())) {
        return; // the window's state goes before that anyway
      }
      Instant scheduled = nextDrop.read();
      if (scheduled == null || at.isBefore(scheduled)) {
        drop.set(at);
        nextDrop.write(at);
      }
    }
  }
}
