package dev.sluice.pipelines.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One service's requests in one window: the {@link TrafficStats} of each status class it had, and
 * their {@link #total()}. What {@code log-analytics} combines per service, so that one grouping
 * gives every line of the service's window (the per-class lines, the {@code all} line, the alert).
 * Immutable.
 */
@DefaultCoder(ServiceTraffic.Coder.class)
public final class ServiceTraffic implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SortedMap<String, TrafficStats> byStatusClass;
  private final TrafficStats total;

  /**
   * @param byStatusClass status class (e.g. {@code 5xx}) → its requests' figures; at least one
   */
  public ServiceTraffic(Map<String, TrafficStats> byStatusClass) {
    this.byStatusClass = Collections.unmodifiableSortedMap(new TreeMap<>(byStatusClass));
    this.total = TrafficStats.sum(this.byStatusClass.values());
  }

  /** Status class → its figures, in the classes' order. */
  public SortedMap<String, TrafficStats> byStatusClass() {
    return byStatusClass;
  }

  /** All the service's requests: its classes merged. */
  public TrafficStats total() {
    return total;
  }

  /**
   * Adds up requests per status class in one pass, each class with {@link TrafficStats#summarize}'s
   * fn: a service's classes side by side in one accumulator.
   */
  public static Combine.CombineFn<AccessLog, ?, ServiceTraffic> summarize(int lgK) {
    return new SummarizeFn(new TrafficStats.SummarizeFn(lgK));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceTraffic && byStatusClass.equals(((ServiceTraffic) o).byStatusClass);
  }

  @Override
  public int hashCode() {
    return Objects.hash(byStatusClass);
  }

  @Override
  public String toString() {
    return "ServiceTraffic" + byStatusClass;
  }

  /**
   * Per status class, {@link TrafficStats.SummarizeFn}'s accumulator. Merging follows Beam's
   * convention of updating the first accumulator only: a class the first one lacks is merged into a
   * fresh accumulator, never into another's, because a merged-in accumulator may be shared (a slice
   * of {@code SlicedSlidingCombine} goes into several windows).
   */
  static final class SummarizeFn
      extends Combine.CombineFn<AccessLog, Map<String, Object[]>, ServiceTraffic> {
    private final TrafficStats.SummarizeFn perClass;

    SummarizeFn(TrafficStats.SummarizeFn perClass) {
      this.perClass = perClass;
    }

    @Override
    public Map<String, Object[]> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, Object[]> addInput(Map<String, Object[]> accumulator, AccessLog request) {
      Object[] classAccumulator =
          accumulator.computeIfAbsent(request.statusClass(), c -> perClass.createAccumulator());
      accumulator.put(request.statusClass(), perClass.addInput(classAccumulator, request));
      return accumulator;
    }

    @Override
    public Map<String, Object[]> mergeAccumulators(Iterable<Map<String, Object[]>> accumulators) {
      Iterator<Map<String, Object[]>> it = accumulators.iterator();
      if (!it.hasNext()) {
        return createAccumulator();
      }
      Map<String, Object[]> merged = it.next();
      // status class → the accumulators to merge, the first one's (or a fresh one) first
      Map<String, List<Object[]>> parts = new HashMap<>();
      merged.forEach((c, classAccumulator) -> parts.put(c, listOf(classAccumulator)));
      while (it.hasNext()) {
        for (Map.Entry<String, Object[]> entry : it.next().entrySet()) {
          parts
              .computeIfAbsent(entry.getKey(), c -> listOf(perClass.createAccumulator()))
              .add(entry.getValue());
        }
      }
      parts.forEach(
          (c, classAccumulators) -> {
            if (classAccumulators.size() > 1) {
              merged.put(c, perClass.mergeAccumulators(classAccumulators));
            }
          });
      return merged;
    }

    private static List<Object[]> listOf(Object[] first) {
      List<Object[]> list = new ArrayList<>();
      list.add(first);
      return list;
    }

    @Override
    public Map<String, Object[]> compact(Map<String, Object[]> accumulator) {
      accumulator.replaceAll((c, classAccumulator) -> perClass.compact(classAccumulator));
      return accumulator;
    }

    @Override
    public ServiceTraffic extractOutput(Map<String, Object[]> accumulator) {
      Map<String, TrafficStats> byStatusClass = new TreeMap<>();
      accumulator.forEach(
          (c, classAccumulator) -> byStatusClass.put(c, perClass.extractOutput(classAccumulator)));
      return new ServiceTraffic(byStatusClass);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Map<String, Object[]>> getAccumulatorCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<AccessLog> inputCoder)
        throws CannotProvideCoderException {
      return MapCoder.of(StringUtf8Coder.of(), perClass.getAccumulatorCoder(registry, inputCoder));
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<ServiceTraffic> getDefaultOutputCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<AccessLog> inputCoder) {
      return Coder.of();
    }
  }

  /** Deterministic coder: the number of classes, then each class and its figures, in order. */
  public static final class Coder extends AtomicCoder<ServiceTraffic> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(ServiceTraffic.class), INSTANCE);
    }

    @Override
    public void encode(ServiceTraffic value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.byStatusClass.size(), out);
      for (Map.Entry<String, TrafficStats> entry : value.byStatusClass.entrySet()) {
        StringUtf8Coder.of().encode(entry.getKey(), out);
        TrafficStats.Coder.of().encode(entry.getValue(), out);
      }
    }

    @Override
    public ServiceTraffic decode(InputStream in) throws IOException {
      int classes = VarIntCoder.of().decode(in);
      Map<String, TrafficStats> byStatusClass = new TreeMap<>();
      for (int i = 0; i < classes; i++) {
        byStatusClass.put(StringUtf8Coder.of().decode(in), TrafficStats.Coder.of().decode(in));
      }
      return new ServiceTraffic(byStatusClass);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
