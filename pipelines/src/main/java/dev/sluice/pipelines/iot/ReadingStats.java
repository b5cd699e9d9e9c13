package dev.sluice.pipelines.iot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The readings of one device in one window, summarized: count, min, max, the exact sum and sum of
 * squares, and the latest event time. Immutable.
 *
 * <p>Sums are exact: each reading enters as the decimal it was written as ({@link
 * BigDecimal#valueOf(double)}) and {@link BigDecimal} addition is exact, so the order in which a
 * runner combines partial sums cannot change a result in the last digit. Derived figures are
 * rounded once, half-even, to {@value #DECIMALS} decimals.
 */
@DefaultCoder(ReadingStats.Coder.class)
public final class ReadingStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Decimals of every derived figure in the output (mean, standard deviation, z-score). */
  public static final int DECIMALS = 4;

  /** Precision of intermediate divisions and square roots, before rounding to DECIMALS. */
  static final MathContext PRECISION = MathContext.DECIMAL128;

  private static final ReadingStats EMPTY =
      new ReadingStats(
          0,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          Long.MIN_VALUE);

  private final long count;
  private final double min;
  private final double max;
  private final BigDecimal sum;
  private final BigDecimal sumOfSquares;
  private final long lastSeenMillis;

  private ReadingStats(
      long count,
      double min,
      double max,
      BigDecimal sum,
      BigDecimal sumOfSquares,
      long lastSeenMillis) {
    this.count = count;
    this.min = min;
    this.max = max;
    this.sum = sum;
    this.sumOfSquares = sumOfSquares;
    this.lastSeenMillis = lastSeenMillis;
  }

  /** No readings. */
  public static ReadingStats empty() {
    return EMPTY;
  }

  /** The stats of {@code readings}. */
  public static ReadingStats of(SensorReading... readings) {
    ReadingStats stats = EMPTY;
    for (SensorReading r : readings) {
      stats = stats.plus(r);
    }
    return stats;
  }

  /** These readings and {@code r}. */
  public ReadingStats plus(SensorReading r) {
    BigDecimal v = BigDecimal.valueOf(r.value());
    return new ReadingStats(
        count + 1,
        Math.min(min, r.value()),
        Math.max(max, r.value()),
        sum.add(v),
        sumOfSquares.add(v.multiply(v)),
        Math.max(lastSeenMillis, r.timestampMillis()));
  }

  /** These readings and those of {@code other}. */
  public ReadingStats merge(ReadingStats other) {
    // No shortcut for empty sides: every sum is built up from ZERO, so equal readings give equal
    // sums in value and in scale, whatever the merge order.
    return new ReadingStats(
        count + other.count,
        Math.min(min, other.min),
        Math.max(max, other.max),
        sum.add(other.sum),
        sumOfSquares.add(other.sumOfSquares),
        Math.max(lastSeenMillis, other.lastSeenMillis));
  }

  public long count() {
    return count;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** The exact sum of the readings. */
  public BigDecimal sum() {
    return sum;
  }

  /** The exact sum of the squares of the readings. */
  public BigDecimal sumOfSquares() {
    return sumOfSquares;
  }

  /** The latest event time among the readings (epoch millis). */
  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  /** The mean, rounded half-even to {@value #DECIMALS} decimals. */
  public BigDecimal mean() {
    checkNotEmpty();
    return sum.divide(BigDecimal.valueOf(count), DECIMALS, RoundingMode.HALF_EVEN);
  }

  /**
   * {@code n * sumOfSquares - sum^2}, exactly: {@code n^2} times the population variance, zero when
   * all readings are equal.
   */
  BigDecimal spread() {
    return BigDecimal.valueOf(count).multiply(sumOfSquares).subtract(sum.multiply(sum));
  }

  /**
   * The sample standard deviation {@code sqrt((n * sumOfSquares - sum^2) / (n * (n - 1)))}, rounded
   * half-even to {@value #DECIMALS} decimals; needs at least two readings.
   */
  public BigDecimal sampleStdDev() {
    if (count < 2) {
      throw new IllegalStateException("a standard deviation needs two readings, had " + count);
    }
    BigDecimal n = BigDecimal.valueOf(count);
    return spread()
        .divide(n.multiply(n.subtract(BigDecimal.ONE)), PRECISION)
        .sqrt(PRECISION)
        .setScale(DECIMALS, RoundingMode.HALF_EVEN);
  }

  private void checkNotEmpty() {
    if (count == 0) {
      throw new IllegalStateException("no readings");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ReadingStats)) {
      return false;
    }
    ReadingStats s = (ReadingStats) o;
    return count == s.count
        && Double.compare(min, s.min) == 0
        && Double.compare(max, s.max) == 0
        && sum.equals(s.sum)
        && sumOfSquares.equals(s.sumOfSquares)
        && lastSeenMillis == s.lastSeenMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, min, max, sum, sumOfSquares, lastSeenMillis);
  }

  @Override
  public String toString() {
    return count == 0
        ? "ReadingStats{empty}"
        : String.format("ReadingStats{count=%d, min=%s, mean=%s, max=%s}", count, min, mean(), max);
  }

  /** Summarizes the readings of each key and window. */
  public static CombineFn combineFn() {
    return new CombineFn();
  }

  /**
   * The {@link Combine.CombineFn} behind {@link #combineFn()}; any merge order gives one answer.
   */
  public static final class CombineFn
      extends Combine.CombineFn<SensorReading, ReadingStats, ReadingStats> {
    private static final long serialVersionUID = 1L;

    @Override
    public ReadingStats createAccumulator() {
      return EMPTY;
    }

    @Override
    public ReadingStats addInput(ReadingStats stats, SensorReading reading) {
      return stats.plus(reading);
    }

    @Override
    public ReadingStats mergeAccumulators(Iterable<ReadingStats> accumulators) {
      ReadingStats merged = EMPTY;
      for (ReadingStats stats : accumulators) {
        merged = merged.merge(stats);
      }
      return merged;
    }

    @Override
    public ReadingStats extractOutput(ReadingStats stats) {
      return stats;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<ReadingStats> getAccumulatorCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<SensorReading> inputCoder) {
      return Coder.of();
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<ReadingStats> getDefaultOutputCoder(
        CoderRegistry registry, org.apache.beam.sdk.coders.Coder<SensorReading> inputCoder) {
      return Coder.of();
    }
  }

  /**
   * Deterministic coder: count, min and max as IEEE bits, the sums as exact decimals, the latest
   * event time.
   */
  public static final class Coder extends AtomicCoder<ReadingStats> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** What makes {@code @DefaultCoder} find this coder (Beam looks for this method). */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(ReadingStats.class), INSTANCE);
    }

    @Override
    public void encode(ReadingStats s, OutputStream out) throws IOException {
      VarLongCoder.of().encode(s.count, out);
      BigEndianLongCoder.of().encode(Double.doubleToLongBits(s.min), out);
      BigEndianLongCoder.of().encode(Double.doubleToLongBits(s.max), out);
      BigDecimalCoder.of().encode(s.sum, out);
      BigDecimalCoder.of().encode(s.sumOfSquares, out);
      VarLongCoder.of().encode(s.lastSeenMillis, out);
    }

    @Override
    public ReadingStats decode(InputStream in) throws IOException {
      long count = VarLongCoder.of().decode(in);
      double min = Double.longBitsToDouble(BigEndianLongCoder.of().decode(in));
      double max = Double.longBitsToDouble(BigEndianLongCoder.of().decode(in));
      BigDecimal sum = BigDecimalCoder.of().decode(in);
      BigDecimal sumOfSquares = BigDecimalCoder.of().decode(in);
      long lastSeen = VarLongCoder.of().decode(in);
      return count == 0 ? EMPTY : new ReadingStats(count, min, max, sum, sumOfSquares, lastSeen);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
