package dev.sluice.pipelines.logs;

import dev.sluice.transforms.distinct.ApproximateDistinct;
import dev.sluice.transforms.distinct.DistinctSketch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineFns;
import org.apache.beam.sdk.transforms.CombineFns.CoCombineResult;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What a group of requests (a service and status class, or a whole service, in one window) adds up
 * to: how many, how many failed with a 5xx status, the histogram of their latencies and a sketch of
 * their client addresses. Immutable; {@link #merge} adds two groups up, so a service's figures are
 * its status classes' merged.
 *
 * <p>{@link #distinctClients()} is DataSketches' HyperLogLog estimate ({@link ApproximateDistinct},
 * {@code lgK} {@value LogAnalytics#CLIENT_SKETCH_LG_K}). Up to {@value #EXACT_CLIENTS} distinct
 * clients a sketch at that precision still holds the hashes themselves (DataSketches' coupon list
 * and set modes, up to 3/4 of {@code 2^(lgK-3)} hashes), and the rounded estimate is the exact
 * count: {@code TrafficStatsTest} checks every count up to there. Above it the sketch turns into an
 * HLL array and the count is an estimate with a relative standard error of about 1.6 %.
 */
@DefaultCoder(TrafficStats.Coder.class)
public final class TrafficStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Up to this many distinct clients per group, {@link #distinctClients()} is exact. */
  public static final int EXACT_CLIENTS = 384;

  private final long requests;
  private final long errors;
  private final LatencyHistogram latencies;
  private final DistinctSketch clients;

  public TrafficStats(
      long requests, long errors, LatencyHistogram latencies, DistinctSketch clients) {
    this.requests = requests;
    this.errors = errors;
    this.latencies = Objects.requireNonNull(latencies, "latencies");
    this.clients = Objects.requireNonNull(clients, "clients");
  }

  public long requests() {
    return requests;
  }

  /** Requests with a 5xx status. */
  public long errors() {
    return errors;
  }

  /** The latencies of the requests that had one. */
  public LatencyHistogram latencies() {
    return latencies;
  }

  public DistinctSketch clientSketch() {
    return clients;
  }

  /** The estimated number of distinct client addresses, rounded. */
  public long distinctClients() {
    return Math.round(clients.estimate());
  }

  /** Both groups together. */
  public TrafficStats merge(TrafficStats other) {
    return new TrafficStats(
        requests + other.requests,
        errors + other.errors,
        latencies.merge(other.latencies),
        clients.merge(other.clients));
  }

  /** All groups together; what {@link ServiceTraffic} uses to add up a service's classes. */
  public static TrafficStats sum(Iterable<TrafficStats> groups) {
    Iterator<TrafficStats> it = groups.iterator();
    if (!it.hasNext()) {
      throw new IllegalArgumentException("nothing to add up");
    }
    TrafficStats total = it.next();
    while (it.hasNext()) {
      total = total.merge(it.next());
    }
    return total;
  }

  /**
   * Adds up requests in one pass: the count, the 5xx count, the latency histogram and the client
   * sketch, each by its own {@code CombineFn} ({@code CombineFns.compose()}), so the client sketch
   * is {@link ApproximateDistinct}'s own.
   */
  public static Combine.CombineFn<AccessLog, ?, TrafficStats> summarize(int lgK) {
    return new SummarizeFn(lgK);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TrafficStats)) {
      return false;
    }
    TrafficStats other = (TrafficStats) o;
    return requests == other.requests
        && errors == other.errors
        && latencies.equals(other.latencies)
        && clients.equals(other.clients);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requests, errors, latencies, clients);
  }

  @Override
  public String toString() {
    return String.format(
        "TrafficStats{requests=%d, errors=%d, latencies=%d, clients=%d}",
        requests, errors, latencies.count(), distinctClients());
  }

  /** The four parts of {@link #summarize}, composed; the accumulator is the parts' array. */
  static final class SummarizeFn extends Combine.CombineFn<AccessLog, Object[], TrafficStats> {
    private static final TupleTag<Long> REQUESTS = new TupleTag<>("requests");
    private static final TupleTag<Long> ERRORS = new TupleTag<>("errors");
    private static final TupleTag<LatencyHistogram> LATENCIES = new TupleTag<>("latencies");
    private static final TupleTag<DistinctSketch> CLIENTS = new TupleTag<>("clients");

    private final CombineFns.ComposedCombineFn<AccessLog> parts;

    SummarizeFn(int lgK) {
      parts =
          CombineFns.compose()
              .with(new One(), VarLongCoder.of(), Sum.ofLongs(), REQUESTS)
              .with(new OneIfServerError(), VarLongCoder.of(), Sum.ofLongs(), ERRORS)
              .with(new Request(), AccessLog.Coder.of(), LatencyHistogram.ofRequests(), LATENCIES)
              .with(
                  new ClientAddress(),
                  StringUtf8Coder.of(),
                  ApproximateDistinct.SketchFn.of(StringUtf8Coder.of()).withLgK(lgK),
                  CLIENTS);
    }

    @Override
    public Object[] createAccumulator() {
      return parts.createAccumulator();
    }

    @Override
    public Object[] addInput(Object[] accumulator, AccessLog request) {
      return parts.addInput(accumulator, request);
    }

    @Override
    public Object[] mergeAccumulators(Iterable<Object[]> accumulators) {
      return parts.mergeAccumulators(accumulators);
    }

    @Override
    public Object[] compact(Object[] accumulator) {
      return parts.compact(accumulator);
    }

    @Override
    public TrafficStats extractOutput(Object[] accumulator) {
      CoCombineResult result = parts.extractOutput(accumulator);
      return new TrafficStats(
          result.get(REQUESTS), result.get(ERRORS), result.get(LATENCIES), result.get(CLIENTS));
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Object[]> getAccumulatorCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<AccessLog> inputCoder)
        throws CannotProvideCoderException {
      return parts.getAccumulatorCoder(registry, inputCoder);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<TrafficStats> getDefaultOutputCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<AccessLog> inputCoder) {
      return Coder.of();
    }
  }

  static final class One extends SimpleFunction<AccessLog, Long> {
    @Override
    public Long apply(AccessLog request) {
      return 1L;
    }
  }

  static final class OneIfServerError extends SimpleFunction<AccessLog, Long> {
    @Override
    public Long apply(AccessLog request) {
      return request.isServerError() ? 1L : 0L;
    }
  }

  static final class Request extends SimpleFunction<AccessLog, AccessLog> {
    @Override
    public AccessLog apply(AccessLog request) {
      return request;
    }
  }

  static final class ClientAddress extends SimpleFunction<AccessLog, String> {
    @Override
    public String apply(AccessLog request) {
      return request.client();
    }
  }

  /** Deterministic coder: requests, errors, the histogram, the sketch's canonical image. */
  public static final class Coder extends AtomicCoder<TrafficStats> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(TrafficStats.class), INSTANCE);
    }

    @Override
    public void encode(TrafficStats value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.requests, out);
      VarLongCoder.of().encode(value.errors, out);
      LatencyHistogram.Coder.of().encode(value.latencies, out);
      DistinctSketch.Coder.of().encode(value.clients, out);
    }

    @Override
    public TrafficStats decode(InputStream in) throws IOException {
      return new TrafficStats(
          VarLongCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          LatencyHistogram.Coder.of().decode(in),
          DistinctSketch.Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
