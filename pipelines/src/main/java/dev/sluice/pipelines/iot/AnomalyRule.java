package dev.sluice.pipelines.iot;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * When a device's newest readings depart from its recent behaviour: the rule behind the job's
 * {@code anomaly} alerts.
 *
 * <p>Given the readings of one period (the judged readings) and the baseline (the same device's
 * readings in the full window that ends where the period starts), with the baseline's count {@code
 * n}, exact sum {@code S} and sum of squares {@code Q}:
 *
 * <ol>
 *   <li>the baseline must have at least {@code minBaselineReadings} readings and not all equal
 *       ({@code n*Q - S^2 > 0}); otherwise there is no behaviour to depart from and no alert;
 *   <li>the judged reading {@code x} is the period's max or min, whichever lies further from the
 *       baseline mean (the max on a tie);
 *   <li>{@code z = |x - mean| / s}, with the baseline's mean {@code S/n} and sample standard
 *       deviation {@code s = sqrt((n*Q - S^2) / (n*(n-1)))};
 *   <li>the period is an anomaly when {@code z > factor}.
 * </ol>
 *
 * <p>The comparison is exact: it is decided as {@code (n*x - S)^2 * (n-1) > factor^2 * n * (n*Q -
 * S^2)} in {@link BigDecimal} arithmetic on the readings as written and the factor as given, so no
 * runner, merge order or rounding can flip it. Only the reported {@code z} is rounded (half-even, 4
 * decimals).
 */
public final class AnomalyRule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double factor;
  private final int minBaselineReadings;

  private AnomalyRule(double factor, int minBaselineReadings) {
    this.factor = factor;
    this.minBaselineReadings = minBaselineReadings;
  }

  /**
   * Alerts when a reading lies more than {@code factor} baseline standard deviations from the
   * baseline mean, given at least {@code minBaselineReadings} baseline readings.
   */
  public static AnomalyRule of(double factor, int minBaselineReadings) {
    if (!(factor > 0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException("factor must be a finite number above 0, was " + factor);
    }
    if (minBaselineReadings < 2) {
      throw new IllegalArgumentException(
          "minBaselineReadings must be at least 2 (a standard deviation needs two), was "
              + minBaselineReadings);
    }
    return new AnomalyRule(factor, minBaselineReadings);
  }

  public double factor() {
    return factor;
  }

  public int minBaselineReadings() {
    return minBaselineReadings;
  }

  /** What an anomaly is made of: the judged reading and how far out it lies. */
  public static final class Evidence {
    private final double reading;
    private final BigDecimal zScore;

    Evidence(double reading, BigDecimal zScore) {
      this.reading = reading;
      this.zScore = zScore;
    }

    /** The period's reading furthest from the baseline mean. */
    public double reading() {
      return reading;
    }

    /** Its distance from the baseline mean in baseline standard deviations, 4 decimals. */
    public BigDecimal zScore() {
      return zScore;
    }
  }

  /** The evidence if {@code period} departs from {@code baseline}, else null. */
  public @Nullable Evidence judge(ReadingStats period, ReadingStats baseline) {
    long count = baseline.count();
    if (period.count() == 0 || count < minBaselineReadings) {
      return null;
    }
    BigDecimal spread = baseline.spread(); // n*Q - S^2
    if (spread.signum() <= 0) {
      return null;
    }
    BigDecimal n = BigDecimal.valueOf(count);
    BigDecimal sum = baseline.sum();
    BigDecimal aboveMax = n.multiply(BigDecimal.valueOf(period.max())).subtract(sum).abs();
    BigDecimal belowMin = n.multiply(BigDecimal.valueOf(period.min())).subtract(sum).abs();
    boolean maxIsFurther = aboveMax.compareTo(belowMin) >= 0;
    BigDecimal distance = maxIsFurther ? aboveMax : belowMin; // |n*x - S|
    BigDecimal nMinusOne = n.subtract(BigDecimal.ONE);
    BigDecimal left = distance.multiply(distance).multiply(nMinusOne);
    BigDecimal f = BigDecimal.valueOf(factor);
    BigDecimal right = f.multiply(f).multiply(n).multiply(spread);
    if (left.compareTo(right) <= 0) {
      return null;
    }
    BigDecimal z =
        left.divide(n.multiply(spread), ReadingStats.PRECISION)
            .sqrt(ReadingStats.PRECISION)
            .setScale(ReadingStats.DECIMALS, RoundingMode.HALF_EVEN);
    return new Evidence(maxIsFurther ? period.max() : period.min(), z);
  }
}
