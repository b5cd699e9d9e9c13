package dev.sluice.pipelines.risk;

import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.window.DurationSpec;
import java.io.Serializable;
import org.joda.time.Duration;

/**
 * The rules' settings, checked: sliding windows of {@code size} every {@code period}, and per
 * window an alert when a card has more than {@code maxTxnsPerCard} transactions, when a
 * transaction's amount is more than {@code amountFactor} times its account's usual amount, or when
 * a card was used in more than {@code maxPlaces} distinct places. The job and its model take the
 * same settings.
 */
public final class RiskRules implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Duration size;
  private final Duration period;
  private final int maxTxnsPerCard;
  private final double amountFactor;
  private final int maxPlaces;

  private RiskRules(
      Duration size, Duration period, int maxTxnsPerCard, double amountFactor, int maxPlaces) {
    this.size = size;
    this.period = period;
    this.maxTxnsPerCard = maxTxnsPerCard;
    this.amountFactor = amountFactor;
    this.maxPlaces = maxPlaces;
  }

  /**
   * The rules for these flag values.
   *
   * @throws IllegalArgumentException naming the flag, the value and what is allowed
   */
  public static RiskRules of(
      String windowSize,
      String windowPeriod,
      int maxTxnsPerCard,
      double amountFactor,
      int maxPlaces) {
    JobOptions.SlidingWindow window = JobOptions.SlidingWindow.parse(windowSize, windowPeriod);
    Duration size = window.size();
    Duration period = window.period();
    if (maxTxnsPerCard < 1) {
      throw new IllegalArgumentException(
          "--maxTxnsPerCard: must be 1 or more (a card with more transactions than this in a"
              + " window raises an alert), was "
              + maxTxnsPerCard);
    }
    if (!(amountFactor > 0) || Double.isInfinite(amountFactor)) {
      throw new IllegalArgumentException(
          "--amountFactor: must be a finite number more than 0 (an amount more than this times"
              + " the account's usual amount raises an alert), was "
              + amountFactor);
    }
    if (maxPlaces < 1) {
      throw new IllegalArgumentException(
          "--maxPlaces: must be 1 or more (a card used in more distinct places than this in a"
              + " window raises an alert), was "
              + maxPlaces);
    }
    return new RiskRules(size, period, maxTxnsPerCard, amountFactor, maxPlaces);
  }

  /** The defaults of {@code ./sluice run risk-control}: 10m windows every 1m, 5, 5.0, 3. */
  public static RiskRules defaults() {
    return of("10m", "1m", 5, 5.0, 3);
  }

  public Duration size() {
    return size;
  }

  public Duration period() {
    return period;
  }

  public int maxTxnsPerCard() {
    return maxTxnsPerCard;
  }

  public double amountFactor() {
    return amountFactor;
  }

  public int maxPlaces() {
    return maxPlaces;
  }

  @Override
  public String toString() {
    return String.format(
        "windows %s every %s, more than %d transactions per card, more than %s x usual amount,"
            + " more than %d places per card",
        DurationSpec.format(size),
        DurationSpec.format(period),
        maxTxnsPerCard,
        amountFactor,
        maxPlaces);
  }
}
