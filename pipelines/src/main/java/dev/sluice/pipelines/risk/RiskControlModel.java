package dev.sluice.pipelines.risk;

import dev.sluice.transforms.quality.InvalidRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * The risk-control alerts computed without Beam: the independent expected answer for tests. Batch
 * semantics: all input is read before any window closes, so every window has exactly one, on-time
 * result. Lines that do not parse are skipped (the pipeline routes them to dead letters).
 *
 * <p>A timestamp {@code t} belongs to every window {@code [s, s + size)} with {@code s} a multiple
 * of the period and {@code s <= t < s + size}. For each window that holds transactions:
 *
 * <ul>
 *   <li>per (account, card): more than {@code maxTxnsPerCard} transactions → {@code
 *       too-many-transactions}; more than {@code maxPlaces} distinct places → {@code
 *       too-many-places};
 *   <li>per account: the profile is the latest of the account's profiles in the window (event time,
 *       then larger usual amount, then home country); with none → {@code no-profile} with all the
 *       account's transactions of the window; else the transactions whose amount is more than
 *       {@code amountFactor} times the usual amount, if any → {@code amount-above-usual}.
 * </ul>
 */
public final class RiskControlModel {
  private RiskControlModel() {}

  /** The expected output of a run over one input that carries transactions and profiles. */
  public static Map<String, List<String>> compute(List<String> inputLines, RiskRules rules) {
    List<Transaction> txns = new ArrayList<>();
    List<AccountProfile> profiles = new ArrayList<>();
    read(inputLines, RiskRecord.Accepts.BOTH, txns, profiles);
    return Map.of("", alerts(txns, profiles, rules));
  }

  /**
   * The expected output of a run with {@code --accounts}: transactions from {@code inputLines},
   * profiles from {@code accountLines}; records of the other type are dead letters, not used.
   */
  public static Map<String, List<String>> compute(
      List<String> inputLines, List<String> accountLines, RiskRules rules) {
    List<Transaction> txns = new ArrayList<>();
    List<AccountProfile> profiles = new ArrayList<>();
    read(inputLines, RiskRecord.Accepts.TRANSACTIONS, txns, profiles);
    read(accountLines, RiskRecord.Accepts.PROFILES, txns, profiles);
    return Map.of("", alerts(txns, profiles, rules));
  }

  private static void read(
      List<String> lines,
      RiskRecord.Accepts accepts,
      List<Transaction> txns,
      List<AccountProfile> profiles) {
    for (String line : lines) {
      RiskRecord record;
      try {
        record = RiskRecord.parse(line, accepts);
      } catch (InvalidRecordException e) {
        continue;
      }
      if (record.isTransaction()) {
        txns.add(record.transaction());
      } else {
        profiles.add(record.profile());
      }
    }
  }

  /** The alert lines, ordered by window start, then the rules' subjects. */
  static List<String> alerts(
      List<Transaction> txns, List<AccountProfile> profiles, RiskRules rules) {
    long size = rules.size().getMillis();
    long period = rules.period().getMillis();

    // window start -> the transactions in that window
    TreeMap<Long, List<Transaction>> windows = new TreeMap<>();
    for (Transaction t : txns) {
      long ts = t.timestampMillis();
      long lastStart = ts - Math.floorMod(ts, period);
      for (long start = lastStart; start > ts - size; start -= period) {
        windows.computeIfAbsent(start, s -> new ArrayList<>()).add(t);
      }
    }
    Map<String, List<AccountProfile>> profilesByAccount = new TreeMap<>();
    for (AccountProfile p : profiles) {
      profilesByAccount.computeIfAbsent(p.account(), a -> new ArrayList<>()).add(p);
    }

    List<String> lines = new ArrayList<>();
    for (Map.Entry<Long, List<Transaction>> window : windows.entrySet()) {
      long start = window.getKey();
      long end = start + size;
      Alerts.Window w = new Alerts.Window(start, end, PaneInfo.ON_TIME_AND_ONLY_FIRING);

      // The card rules: per (account, card).
      TreeMap<String, TreeMap<String, List<Transaction>>> byCard = new TreeMap<>();
      for (Transaction t : window.getValue()) {
        byCard
            .computeIfAbsent(t.account(), a -> new TreeMap<>())
            .computeIfAbsent(t.card(), c -> new ArrayList<>())
            .add(t);
      }
      for (Map.Entry<String, TreeMap<String, List<Transaction>>> account : byCard.entrySet()) {
        for (Map.Entry<String, List<Transaction>> card : account.getValue().entrySet()) {
          List<Transaction> cardTxns = new ArrayList<>(card.getValue());
          cardTxns.sort(Transaction.BY_ID);
          if (cardTxns.size() > rules.maxTxnsPerCard()) {
            lines.add(
                Alerts.tooManyTransactions(
                    account.getKey(), card.getKey(), cardTxns, rules.maxTxnsPerCard(), w));
          }
          TreeSet<String> places = new TreeSet<>();
          for (Transaction t : cardTxns) {
            places.add(t.place());
          }
          if (places.size() > rules.maxPlaces()) {
            lines.add(
                Alerts.tooManyPlaces(
                    account.getKey(),
                    card.getKey(),
                    new ArrayList<>(places),
                    cardTxns,
                    rules.maxPlaces(),
                    w));
          }
        }
      }

      // The account rules: the window's latest profile, then amounts against it.
      for (Map.Entry<String, TreeMap<String, List<Transaction>>> account : byCard.entrySet()) {
        List<Transaction> accountTxns = new ArrayList<>();
        account.getValue().values().forEach(accountTxns::addAll);
        accountTxns.sort(Transaction.BY_ID);
        AccountProfile latest = null;
        for (AccountProfile p : profilesByAccount.getOrDefault(account.getKey(), List.of())) {
          if (p.timestampMillis() >= start && p.timestampMillis() < end) {
            if (latest == null || isLater(p, latest)) {
              latest = p;
            }
          }
        }
        if (latest == null) {
          lines.add(Alerts.noProfile(account.getKey(), accountTxns, w));
          continue;
        }
        List<Transaction> above = new ArrayList<>();
        for (Transaction t : accountTxns) {
          if (t.amountCents() > rules.amountFactor() * latest.usualAmountCents()) {
            above.add(t);
          }
        }
        if (!above.isEmpty()) {
          lines.add(Alerts.amountAboveUsual(latest, above, rules.amountFactor(), w));
        }
      }
    }
    return lines;
  }

  /** Whether {@code a} is later than {@code b}: time, then usual amount, then home country. */
  private static boolean isLater(AccountProfile a, AccountProfile b) {
    if (a.timestampMillis() != b.timestampMillis()) {
      return a.timestampMillis() > b.timestampMillis();
    }
    if (a.usualAmountCents() != b.usualAmountCents()) {
      return a.usualAmountCents() > b.usualAmountCents();
    }
    return a.homeCountry().compareTo(b.homeCountry()) > 0;
  }
}
