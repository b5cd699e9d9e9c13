package dev.sluice.pipelines.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * How many requests took each whole number of milliseconds: exact, mergeable, and small (one entry
 * per distinct millisecond value), so percentiles over a window are exact whatever the bundling and
 * on every runner.
 *
 * <p>{@link #percentile(int) Percentiles} are <em>nearest-rank</em>: the {@code p}-th percentile of
 * {@code n} latencies is the smallest latency {@code v} such that at least {@code ceil(p * n /
 * 100)} of them are at most {@code v}; always one of the latencies seen.
 *
 * <pre>{@code
 * LatencyHistogram h = LatencyHistogram.of(10, 20, 30, 40);
 * h.percentile(50);   // 20: rank ceil(0.5 * 4) = 2
 * h.percentile(99);   // 40: rank ceil(0.99 * 4) = 4
 * }</pre>
 *
 * <p>It is mutable while it accumulates ({@link #add}, {@link #addAll}); {@link #merge} returns a
 * new one.
 */
@DefaultCoder(LatencyHistogram.Coder.class)
public final class LatencyHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Milliseconds → number of requests. */
  private final TreeMap<Integer, Long> counts = new TreeMap<>();

  private long total;

  public static LatencyHistogram empty() {
    return new LatencyHistogram();
  }

  public static LatencyHistogram of(int... millis) {
    LatencyHistogram h = new LatencyHistogram();
    for (int ms : millis) {
      h.add(ms);
    }
    return h;
  }

  /** Counts one latency of {@code millis} (0 or more); returns this histogram. */
  public LatencyHistogram add(int millis) {
    return add(millis, 1);
  }

  private LatencyHistogram add(int millis, long count) {
    if (millis < 0) {
      throw new IllegalArgumentException("a latency cannot be negative, was " + millis);
    }
    counts.merge(millis, count, Long::sum);
    total += count;
    return this;
  }

  /** Counts every latency of {@code other} too; returns this histogram. */
  public LatencyHistogram addAll(LatencyHistogram other) {
    other.counts.forEach(this::add);
    return this;
  }

  /** A new histogram of the latencies of both. */
  public LatencyHistogram merge(LatencyHistogram other) {
    return new LatencyHistogram().addAll(this).addAll(other);
  }

  /** How many latencies it holds. */
  public long count() {
    return total;
  }

  public boolean isEmpty() {
    return total == 0;
  }

  /**
   * The nearest-rank {@code p}-th percentile in milliseconds, {@code p} in [1, 100].
   *
   * @throws IllegalStateException if the histogram is empty
   */
  public int percentile(int p) {
    if (p < 1 || p > 100) {
      throw new IllegalArgumentException("percentile must be in [1, 100], was " + p);
    }
    if (total == 0) {
      throw new IllegalStateException("no latencies, so no percentile");
    }
    long rank = (p * total + 99) / 100; // ceil(p * total / 100), at least 1
    long seen = 0;
    for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
      seen += bucket.getValue();
      if (seen >= rank) {
        return bucket.getKey();
      }
    }
    throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram && counts.equals(((LatencyHistogram) o).counts);
  }

  @Override
  public int hashCode() {
    return counts.hashCode();
  }

  @Override
  public String toString() {
    return "LatencyHistogram" + counts;
  }

  /**
   * Builds the histogram of the latencies of requests; a request without a latency is left out (see
   * {@link AccessLog}).
   */
  public static Combine.CombineFn<AccessLog, LatencyHistogram, LatencyHistogram> ofRequests() {
    return new OfRequestsFn();
  }

  static final class OfRequestsFn
      extends Combine.CombineFn<AccessLog, LatencyHistogram, LatencyHistogram> {
    @Override
    public LatencyHistogram createAccumulator() {
      return new LatencyHistogram();
    }

    @Override
    public LatencyHistogram addInput(LatencyHistogram histogram, AccessLog request) {
      return request.hasLatency() ? histogram.add(request.latencyMillis()) : histogram;
    }

    @Override
    public LatencyHistogram mergeAccumulators(Iterable<LatencyHistogram> histograms) {
      LatencyHistogram merged = new LatencyHistogram();
      histograms.forEach(merged::addAll);
      return merged;
    }

    @Override
    public LatencyHistogram extractOutput(LatencyHistogram histogram) {
      return new LatencyHistogram().addAll(histogram); // the output must not share the accumulator
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<LatencyHistogram> getAccumulatorCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<AccessLog> inputCoder) {
      return Coder.of();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<LatencyHistogram> getDefaultOutputCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<AccessLog> inputCoder) {
      return Coder.of();
    }
  }

  /** Deterministic coder: the number of buckets, then (millis, count) in ascending millis. */
  public static final class Coder extends AtomicCoder<LatencyHistogram> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(LatencyHistogram.class), INSTANCE);
    }

    @Override
    public void encode(LatencyHistogram value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.counts.size(), out);
      for (Map.Entry<Integer, Long> bucket : value.counts.entrySet()) {
        VarIntCoder.of().encode(bucket.getKey(), out);
        VarLongCoder.of().encode(bucket.getValue(), out);
      }
    }

    @Override
    public LatencyHistogram decode(InputStream in) throws IOException {
      int size = VarIntCoder.of().decode(in);
      if (size < 0) {
        throw new CoderException("negative bucket count " + size);
      }
      LatencyHistogram histogram = new LatencyHistogram();
      for (int i = 0; i < size; i++) {
        histogram.add(VarIntCoder.of().decode(in), VarLongCoder.of().decode(in));
      }
      return histogram;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
