package dev.sluice.pipelines.risk;

import java.math.BigDecimal;

/** How amounts of money, kept in whole cents, are written in alerts and messages. */
final class Money {
  private Money() {}

  /** Cents as a JSON number of the currency unit, e.g. 1999 → 19.99, 2000 → 20.0. */
  static double amount(long cents) {
    return cents / 100.0;
  }

  /** Cents as text with two decimals, e.g. 1999 → "19.99". */
  static String format(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }

  /**
   * {@code factor} times {@code usualCents}, in the currency unit, rounded half up to 4 decimals so
   * that it is written the same way everywhere.
   */
  static double threshold(double factor, long usualCents) {
    return Math.round(factor * usualCents * 100.0) / 10_000.0;
  }
}
