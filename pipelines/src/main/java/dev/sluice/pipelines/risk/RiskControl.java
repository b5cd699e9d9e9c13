package dev.sluice.pipelines.risk;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.pipelines.options.TriggerOptions;
import dev.sluice.transforms.quality.DeadLetter;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.PaneLabel;
import dev.sluice.transforms.window.WindowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Real-time fraud detection: card transactions joined with their account's profile per sliding
 * event-time window, three rules, one alert line per rule, subject and window.
 *
 * <pre>
 * read --input (transactions and account profiles in one stream; or profiles from --accounts)
 *   → parse (bad → dead letters) → sliding windows (size, period) → split by type, key by account
 *   → group per account and window: its transactions and its profiles (one CoGroupByKey)
 *   → per group, in memory: the latest profile → amount-above-usual, or no-profile if none;
 *     the transactions by card → too-many-transactions, too-many-places
 *   → alert JSON lines → --output
 * </pre>
 *
 * <p><b>Which profile a window uses.</b> Profiles are a slowly changing table that arrives as a
 * stream (a change-data-capture feed re-emits each account's profile periodically). For each
 * account and window {@code [start, end)}, the profile used is the latest of that account's profile
 * records whose event time lies in the window (by event time; ties by the larger usual amount, then
 * home country: {@link AccountProfile#LATEST}), and it applies to every transaction of the window,
 * before or after it. A window that holds transactions of an account but none of its profiles
 * cannot run the amount rule: it raises a {@code no-profile} alert listing those transactions
 * instead (and counts them in the metric {@code sluice.risk/no_profile_txns}), so no transaction is
 * dropped silently. Profile feeds should re-emit each profile more often than {@code windowSize}
 * minus the out-of-orderness.
 *
 * <p><b>{@code --accounts}.</b> When set, profiles are read from that source and {@code --input}
 * carries transactions only: a profile record in {@code --input}, or a transaction record in {@code
 * --accounts}, is a dead letter of kind {@code unexpected-type} (never silently used or dropped).
 *
 * <p>By default each window fires once, when the watermark passes its end, so exactly one line per
 * rule, subject and window reaches the output on every runner; the pane is {@code ON_TIME}, pane 0,
 * final (see {@link PaneLabel} for Flink batch). Kafka output is keyed by account, rule, card (if
 * any) and window ({@link dev.sluice.pipelines.io.WriteKafka}), so a compacted topic keeps each
 * alert's latest evidence.
 *
 * <p><b>Early and late alerts</b> ({@code --trigger}, a stream only): with early firings (e.g.
 * {@code --trigger=early=10s}) the card rules alert before the window closes, in {@code EARLY}
 * panes: panes accumulate (each holds the window's transactions so far; {@code discarding} is
 * refused), so a card over its limit in an early pane stays over it, and later panes repeat the
 * alert with more evidence. The account rules (amount-above-usual, no-profile) wait for the {@code
 * ON_TIME} pane: they depend on the window's latest profile, which a later record can change, and
 * an early alert would stand under its Kafka key for a window whose final result has none. With a
 * lateness ({@code --trigger=lateness=1h}) a record behind the watermark but within it updates its
 * windows' alerts in {@code LATE} panes; there an account rule that no longer holds (a late profile
 * for a no-profile window, a usual amount that now covers the transactions) is written as {@code
 * {"rule","account","cleared":true,...}} under the alert's key ({@link Alerts#cleared}), so the
 * latest record per key is never a withdrawn alert. A record further behind the watermark is a dead
 * letter of kind {@code late}.
 */
public final class RiskControl {
  private RiskControl() {}

  /** Options of {@code ./sluice run risk-control}: transactions and profiles in, alerts out. */
  public interface Options extends JobOptions, TriggerOptions {
    @Description("Window size, e.g. 10m, 1h")
    @Default.String("10m")
    String getWindowSize();

    void setWindowSize(String value);

    @Description("How often a new window starts (the slide), e.g. 1m; at most the window size")
    @Default.String("1m")
    String getWindowPeriod();

    void setWindowPeriod(String value);

    @Description("Alert when a card has more transactions than this in one window (at least 1)")
    @Default.Integer(5)
    int getMaxTxnsPerCard();

    void setMaxTxnsPerCard(int value);

    @Description(
        "Alert on a transaction whose amount is more than this times its account's usual_amount"
            + " (a number more than 0)")
    @Default.Double(5.0)
    double getAmountFactor();

    void setAmountFactor(double value);

    @Description(
        "Alert when a card is used in more distinct places (country, else city) than this in one"
            + " window (at least 1)")
    @Default.Integer(3)
    int getMaxPlaces();

    void setMaxPlaces(int value);

    @Description(
        "Where account profiles come from (file: or kafka:// URI); empty means they are in"
            + " --input. When set, profile records in --input (and transactions in --accounts)"
            + " are dead letters of kind unexpected-type")
    @Default.String("")
    String getAccounts();

    void setAccounts(String value);
  }

  /** Builds the pipeline, checking every option first; nothing runs until the caller runs it. */
  public static Pipeline build(Options options) {
    RiskRules rules =
        RiskRules.of(
            options.getWindowSize(),
            options.getWindowPeriod(),
            options.getMaxTxnsPerCard(),
            options.getAmountFactor(),
            options.getMaxPlaces());
    WindowSpec windows =
        TriggerOptions.windowSpec(
            options.getWindowSize(),
            options.getWindowPeriod(),
            options,
            "risk-control",
            "a pane's new transactions alone do not show a card's count or places in the window");
    JobOptions.checkNumShards(options);
    boolean separateAccounts = !options.getAccounts().isEmpty();
    ReadParsed<RiskRecord> readInput =
        ReadParsed.from(
                "--input",
                options.getInput(),
                (separateAccounts ? RiskRecord.Accepts.TRANSACTIONS : RiskRecord.Accepts.BOTH)
                    .parser(),
                RiskRecord.Coder.of())
            .withEventTime(RiskRecord::timestamp)
            .withAllowedLateness(windows.allowedLateness());
    ReadParsed<RiskRecord> readAccounts =
        separateAccounts
            ? ReadParsed.from(
                    "--accounts",
                    options.getAccounts(),
                    RiskRecord.Accepts.PROFILES.parser(),
                    RiskRecord.Coder.of())
                .withEventTime(RiskRecord::timestamp)
                .withAllowedLateness(windows.allowedLateness())
            : null;
    WriteLines writeAlerts =
        WriteLines.to("--output", options.getOutput())
            .withNumShards(options.getNumShards())
            .withDefaultKeyFields("account,rule,card");
    WriteDeadLetters writeDeadLetters =
        WriteDeadLetters.to("--deadLetters", WriteLines.deadLettersOf(options));

    Pipeline pipeline = Pipeline.create(options);
    // The accounts first: an --accounts file that is not there is refused at once, not after a
    // Kafka --input has waited for its broker.
    ParseOrDeadLetter.Result<RiskRecord> accounts =
        readAccounts == null ? null : pipeline.apply("ReadAccounts", readAccounts);
    ParseOrDeadLetter.Result<RiskRecord> input = pipeline.apply("ReadInput", readInput);
    PCollection<RiskRecord> records = input.parsed();
    PCollection<DeadLetter> deadLetters = input.deadLetters();
    if (accounts != null) {
      records =
          PCollectionList.of(records)
              .and(accounts.parsed())
              .apply("MergeSources", Flatten.pCollections());
      deadLetters =
          PCollectionList.of(deadLetters)
              .and(accounts.deadLetters())
              .apply("MergeDeadLetters", Flatten.pCollections());
    }
    records.apply("DetectFraud", new DetectFraud(rules, windows)).apply("WriteAlerts", writeAlerts);
    deadLetters.apply("WriteDeadLetters", writeDeadLetters);
    return pipeline;
  }

  /**
   * Runs the job with Beam's own flag parsing, as any Beam pipeline's {@code main}. {@code ./sluice
   * run risk-control} runs the same pipeline with checks before launch, progress and counts.
   */
  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    build(options).run().waitUntilFinish();
  }

  /**
   * Timestamped transactions and profiles in, alert lines out: the job without its IO, for tests.
   *
   * <p>One grouping per account and window (a {@code CoGroupByKey} of its transactions and
   * profiles), and everything after it element-wise: each window's result comes from exactly one
   * grouping, as triggers need for exact panes, and it is one shuffle where joining the latest
   * profile and grouping again per account and per card took four.
   */
  public static final class DetectFraud
      extends PTransform<PCollection<RiskRecord>, PCollection<String>> {
    private static final long serialVersionUID = 1L;
    private final RiskRules rules;
    private final WindowSpec windows;

    /** The rules in their sliding windows with the default trigger: one pane per window. */
    public DetectFraud(RiskRules rules) {
      this(rules, WindowSpec.sliding(rules.size(), rules.period()));
    }

    /** The rules in {@code windows} (the same size and period), early and late panes included. */
    public DetectFraud(RiskRules rules, WindowSpec windows) {
      if (!windows.size().equals(rules.size()) || !windows.every().equals(rules.period())) {
        throw new IllegalArgumentException(
            "the windows " + windows + " are not the rules' (" + rules + ")");
      }
      this.rules = rules;
      this.windows = windows;
    }

    @Override
    public PCollection<String> expand(PCollection<RiskRecord> records) {
      TupleTag<Transaction> txnTag = new TupleTag<>() {};
      TupleTag<AccountProfile> profileTag = new TupleTag<>() {};
      TupleTag<KV<String, Transaction>> txnOut = new TupleTag<>() {};
      TupleTag<KV<String, AccountProfile>> profileOut = new TupleTag<>() {};
      PCollectionTuple byType =
          records
              .apply("SlidingWindows", windows.windowFor(records).<RiskRecord>window())
              .apply(
                  "SplitByType",
                  ParDo.of(new SplitByTypeFn(txnOut, profileOut))
                      .withOutputTags(txnOut, TupleTagList.of(profileOut)));
      return KeyedPCollectionTuple.of(
              txnTag,
              byType.get(txnOut).setCoder(KvCoder.of(StringUtf8Coder.of(), Transaction.Coder.of())))
          .and(
              profileTag,
              byType
                  .get(profileOut)
                  .setCoder(KvCoder.of(StringUtf8Coder.of(), AccountProfile.Coder.of())))
          .apply("GroupPerAccount", CoGroupByKey.create())
          .apply("ApplyRules", ParDo.of(new AccountRulesFn(rules, txnTag, profileTag)));
    }
  }

  /** Sends each record to its type's output, keyed by account. */
  static final class SplitByTypeFn extends DoFn<RiskRecord, KV<String, Transaction>> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<KV<String, Transaction>> txnTag;
    private final TupleTag<KV<String, AccountProfile>> profileTag;

    SplitByTypeFn(
        TupleTag<KV<String, Transaction>> txnTag, TupleTag<KV<String, AccountProfile>> profileTag) {
      this.txnTag = txnTag;
      this.profileTag = profileTag;
    }

    @ProcessElement
    public void process(@Element RiskRecord record, MultiOutputReceiver out) {
      if (record.isTransaction()) {
        out.get(txnTag).output(KV.of(record.account(), record.transaction()));
      } else {
        out.get(profileTag).output(KV.of(record.account(), record.profile()));
      }
    }
  }

  /**
   * The three rules over one account's transactions and profiles in one window: per card (sub-
   * grouped in memory) too-many-transactions and too-many-places; for the account, amount-above-
   * usual against the window's latest profile, or no-profile when the window holds none. A window
   * with profiles but no transactions has nothing to check.
   */
  static final class AccountRulesFn extends DoFn<KV<String, CoGbkResult>, String> {
    private static final long serialVersionUID = 1L;
    private final RiskRules rules;
    private final TupleTag<Transaction> txnTag;
    private final TupleTag<AccountProfile> profileTag;
    private final Counter countAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.TOO_MANY_TRANSACTIONS);
    private final Counter placeAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.TOO_MANY_PLACES);
    private final Counter amountAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.AMOUNT_ABOVE_USUAL);
    private final Counter noProfileAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.NO_PROFILE);
    private final Counter noProfileTxns = Metrics.counter("sluice.risk", "no_profile_txns");

    AccountRulesFn(
        RiskRules rules, TupleTag<Transaction> txnTag, TupleTag<AccountProfile> profileTag) {
      this.rules = rules;
      this.txnTag = txnTag;
      this.profileTag = profileTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> account,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      List<Transaction> txns = new ArrayList<>();
      account.getValue().getAll(txnTag).forEach(txns::add);
      if (txns.isEmpty()) {
        return;
      }
      txns.sort(Transaction.BY_ID);
      Alerts.Window w = windowOf(window, pane);
      checkCards(account.getKey(), txns, w, out);
      if (PaneLabel.of(pane) == PaneLabel.EARLY) {
        // The account rules depend on the window's latest profile, still to come: see the class
        // comment.
        return;
      }
      AccountProfile latest = null;
      for (AccountProfile p : account.getValue().getAll(profileTag)) {
        if (latest == null || AccountProfile.LATEST.compare(p, latest) > 0) {
          latest = p;
        }
      }
      checkAmounts(account.getKey(), txns, latest, w, PaneLabel.of(pane) == PaneLabel.LATE, out);
    }

    /** The card rules, per card of the account; {@code txns} sorted by id, and so each card's. */
    private void checkCards(
        String account, List<Transaction> txns, Alerts.Window w, OutputReceiver<String> out) {
      Map<String, List<Transaction>> byCard = new HashMap<>();
      for (Transaction t : txns) {
        byCard.computeIfAbsent(t.card(), c -> new ArrayList<>()).add(t);
      }
      for (Map.Entry<String, List<Transaction>> card : byCard.entrySet()) {
        List<Transaction> cardTxns = card.getValue();
        if (cardTxns.size() > rules.maxTxnsPerCard()) {
          countAlerts.inc();
          out.output(
              Alerts.tooManyTransactions(
                  account, card.getKey(), cardTxns, rules.maxTxnsPerCard(), w));
        }
        TreeSet<String> places = new TreeSet<>();
        for (Transaction t : cardTxns) {
          places.add(t.place());
        }
        if (places.size() > rules.maxPlaces()) {
          placeAlerts.inc();
          out.output(
              Alerts.tooManyPlaces(
                  account, card.getKey(), new ArrayList<>(places), cardTxns, rules.maxPlaces(), w));
        }
      }
    }

    /**
     * The amount rule against {@code latest}, or no-profile without one. In a LATE pane, a rule
     * that does not hold is written as cleared ({@link Alerts#cleared}): the on-time pane may have
     * raised it before the late records came.
     */
    private void checkAmounts(
        String account,
        List<Transaction> txns,
        AccountProfile latest,
        Alerts.Window w,
        boolean late,
        OutputReceiver<String> out) {
      if (latest == null) {
        noProfileAlerts.inc();
        noProfileTxns.inc(txns.size());
        out.output(Alerts.noProfile(account, txns, w)); // no profile before either: no amount alert
        return;
      }
      if (late) {
        out.output(Alerts.cleared(Alerts.NO_PROFILE, account, w));
      }
      List<Transaction> above = new ArrayList<>();
      for (Transaction t : txns) {
        if (t.amountCents() > rules.amountFactor() * latest.usualAmountCents()) {
          above.add(t);
        }
      }
      if (!above.isEmpty()) {
        amountAlerts.inc();
        out.output(Alerts.amountAboveUsual(latest, above, rules.amountFactor(), w));
      } else if (late) {
        out.output(Alerts.cleared(Alerts.AMOUNT_ABOVE_USUAL, account, w));
      }
    }
  }

  private static Alerts.Window windowOf(IntervalWindow window, PaneInfo pane) {
    return new Alerts.Window(window.start().getMillis(), window.end().getMillis(), pane);
  }
}
