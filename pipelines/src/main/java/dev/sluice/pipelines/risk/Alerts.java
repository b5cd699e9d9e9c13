package dev.sluice.pipelines.risk;

import dev.sluice.pipelines.io.ResultLine;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * The alert lines of {@code risk-control}, one per rule, subject and window: the layout the job and
 * its model both write. Every alert has {@code rule}, {@code account}, the evidence, then {@code
 * window_start}, {@code window_end} and {@code pane}; every list in the evidence is sorted (see
 * each method).
 */
public final class Alerts {
  /** A card with more transactions in a window than {@code --maxTxnsPerCard}. */
  public static final String TOO_MANY_TRANSACTIONS = "too-many-transactions";

  /** A card used in more distinct places in a window than {@code --maxPlaces}. */
  public static final String TOO_MANY_PLACES = "too-many-places";

  /** Transactions of more than {@code --amountFactor} times the account's usual amount. */
  public static final String AMOUNT_ABOVE_USUAL = "amount-above-usual";

  /** Transactions whose account has no profile in the window: the amount rule cannot run. */
  public static final String NO_PROFILE = "no-profile";

  private Alerts() {}

  /**
   * {@code {"rule":"too-many-transactions","account","card","count","threshold","txn_ids",...}}:
   * {@code txns} are the card's transactions in the window, sorted by {@link Transaction#BY_ID}.
   */
  public static String tooManyTransactions(
      String account, String card, List<Transaction> txns, int threshold, Window window) {
    return ResultLine.create()
        .put("rule", TOO_MANY_TRANSACTIONS)
        .put("account", account)
        .put("card", card)
        .put("count", txns.size())
        .put("threshold", threshold)
        .putStrings("txn_ids", txns.stream().map(Transaction::txnId).toList())
        .window(window.start, window.end, window.pane)
        .toJson();
  }

  /**
   * {@code {"rule":"too-many-places","account","card","count","threshold","places","txn_ids",...}}:
   * {@code places} the distinct places, sorted; {@code txns} the card's transactions in the window,
   * sorted by {@link Transaction#BY_ID}.
   */
  public static String tooManyPlaces(
      String account,
      String card,
      List<String> places,
      List<Transaction> txns,
      int threshold,
      Window window) {
    return ResultLine.create()
        .put("rule", TOO_MANY_PLACES)
        .put("account", account)
        .put("card", card)
        .put("count", places.size())
        .put("threshold", threshold)
        .putStrings("places", places)
        .putStrings("txn_ids", txns.stream().map(Transaction::txnId).toList())
        .window(window.start, window.end, window.pane)
        .toJson();
  }

  /**
   * {@code {"rule":"amount-above-usual","account","count","threshold","factor","usual_amount",
   * "profile_ts","txn_ids","amounts",...}}: {@code threshold} is factor &times; usual amount;
   * {@code txns} the transactions above it, sorted by {@link Transaction#BY_ID}, and {@code
   * amounts} theirs in the same order; {@code profile_ts} the time of the profile the window used.
   */
  public static String amountAboveUsual(
      AccountProfile profile, List<Transaction> txns, double factor, Window window) {
    return ResultLine.create()
        .put("rule", AMOUNT_ABOVE_USUAL)
        .put("account", profile.account())
        .put("count", txns.size())
        .put("threshold", Money.threshold(factor, profile.usualAmountCents()))
        .put("factor", factor)
        .put("usual_amount", Money.amount(profile.usualAmountCents()))
        .put("profile_ts", ResultLine.instant(profile.timestampMillis()))
        .putStrings("txn_ids", txns.stream().map(Transaction::txnId).toList())
        .putNumbers("amounts", txns.stream().map(t -> Money.amount(t.amountCents())).toList())
        .window(window.start, window.end, window.pane)
        .toJson();
  }

  /**
   * {@code {"rule":"no-profile","account","count","txn_ids",...}}: {@code txns} the account's
   * transactions in a window that holds no profile of it, sorted by {@link Transaction#BY_ID}.
   */
  public static String noProfile(String account, List<Transaction> txns, Window window) {
    return ResultLine.create()
        .put("rule", NO_PROFILE)
        .put("account", account)
        .put("count", txns.size())
        .putStrings("txn_ids", txns.stream().map(Transaction::txnId).toList())
        .window(window.start, window.end, window.pane)
        .toJson();
  }

  /**
   * {@code {"rule","account","cleared":true,...}}: in a LATE pane, the account rule {@code rule}
   * ({@link #AMOUNT_ABOVE_USUAL} or {@link #NO_PROFILE}) no longer holds for the window (a late
   * profile or transaction changed it). Written under the alert's Kafka key, it replaces an alert
   * of an earlier pane, so a consumer that keeps the latest record per key holds no stale alert.
   */
  public static String cleared(String rule, String account, Window window) {
    return ResultLine.create()
        .put("rule", rule)
        .put("account", account)
        .put("cleared", true)
        .window(window.start, window.end, window.pane)
        .toJson();
  }

  /** A window {@code [start, end)} in epoch millis and the pane its result came in. */
  public static final class Window {
    final long start;
    final long end;
    final PaneInfo pane;

    public Window(long start, long end, PaneInfo pane) {
      this.start = start;
      this.end = end;
      this.pane = pane;
    }
  }
}
