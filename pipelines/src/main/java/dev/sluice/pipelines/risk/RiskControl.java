package dev.sluice.pipelines.risk;

import dev.sluice.pipelines.io.ReadParsed;
import dev.sluice.pipelines.io.WriteDeadLetters;
import dev.sluice.pipelines.io.WriteLines;
import dev.sluice.pipelines.options.JobOptions;
import dev.sluice.transforms.join.Join;
import dev.sluice.transforms.join.Joined;
import dev.sluice.transforms.quality.DeadLetter;
import dev.sluice.transforms.quality.ParseOrDeadLetter;
import dev.sluice.transforms.window.PaneLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Real-time fraud detection: card transactions joined with their account's profile per sliding
 * event-time window, three rules, one alert line per rule, subject and window.
 *
 * <pre>
 * read --input (transactions and account profiles in one stream; or profiles from --accounts)
 *   → parse (bad → dead letters) → split by type → sliding windows (size, period)
 *   ├ transactions by (account, card) → group → too-many-transactions, too-many-places
 *   └ profiles by account → latest per window ─┐
 *     transactions by account ── left outer join (Join, per window)
 *       → flag → group per account → amount-above-usual, or no-profile if the window has none
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
 * <p>Each window fires once, when the watermark passes its end (default trigger, no allowed
 * lateness), so exactly one line per rule, subject and window reaches the output on every runner;
 * the pane is {@code ON_TIME} (see {@link PaneLabel} for Flink batch). Kafka output is keyed by
 * account, rule, card (if any) and window ({@link dev.sluice.pipelines.io.WriteKafka}).
 */
public final class RiskControl {
  private RiskControl() {}

  /** Options of {@code ./sluice run risk-control}: transactions and profiles in, alerts out. */
  public interface Options extends JobOptions {
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
    JobOptions.checkNumShards(options);
    boolean separateAccounts = !options.getAccounts().isEmpty();
    ReadParsed<RiskRecord> readInput =
        ReadParsed.from(
                "--input",
                options.getInput(),
                (separateAccounts ? RiskRecord.Accepts.TRANSACTIONS : RiskRecord.Accepts.BOTH)
                    .parser(),
                RiskRecord.Coder.of())
            .withEventTime(RiskRecord::timestamp);
    ReadParsed<RiskRecord> readAccounts =
        separateAccounts
            ? ReadParsed.from(
                    "--accounts",
                    options.getAccounts(),
                    RiskRecord.Accepts.PROFILES.parser(),
                    RiskRecord.Coder.of())
                .withEventTime(RiskRecord::timestamp)
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
    records.apply("DetectFraud", new DetectFraud(rules)).apply("WriteAlerts", writeAlerts);
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
   */
  public static final class DetectFraud
      extends PTransform<PCollection<RiskRecord>, PCollection<String>> {
    private static final long serialVersionUID = 1L;
    private final RiskRules rules;

    public DetectFraud(RiskRules rules) {
      this.rules = rules;
    }

    @Override
    public PCollection<String> expand(PCollection<RiskRecord> records) {
      TupleTag<KV<String, Transaction>> txnTag = new TupleTag<>() {};
      TupleTag<KV<String, AccountProfile>> profileTag = new TupleTag<>() {};
      PCollectionTuple byType =
          records.apply(
              "SplitByType",
              ParDo.of(new SplitByTypeFn(txnTag, profileTag))
                  .withOutputTags(txnTag, TupleTagList.of(profileTag)));
      SlidingWindows windows = SlidingWindows.of(rules.size()).every(rules.period());
      PCollection<KV<String, Transaction>> txns =
          byType
              .get(txnTag)
              .setCoder(KvCoder.of(StringUtf8Coder.of(), Transaction.Coder.of()))
              .apply("WindowTransactions", Window.into(windows));
      PCollection<KV<String, AccountProfile>> latestProfiles =
          byType
              .get(profileTag)
              .setCoder(KvCoder.of(StringUtf8Coder.of(), AccountProfile.Coder.of()))
              .apply("WindowProfiles", Window.into(windows))
              .apply("LatestProfilePerAccount", Combine.perKey(new LatestProfileFn()));

      PCollection<String> cardAlerts = txns.apply("CheckCards", new CheckCards(rules));
      PCollection<String> accountAlerts =
          txns.apply(
                  "JoinLatestProfile",
                  Join.<String, Transaction, AccountProfile>leftOuter(latestProfiles))
              .apply("CheckAmounts", new CheckAmounts(rules.amountFactor()));
      return PCollectionList.of(cardAlerts)
          .and(accountAlerts)
          .apply("AllAlerts", Flatten.pCollections());
    }
  }

  /** Windowed transactions keyed by account in; card alerts out, per (account, card) and window. */
  public static final class CheckCards
      extends PTransform<PCollection<KV<String, Transaction>>, PCollection<String>> {
    private static final long serialVersionUID = 1L;
    private final RiskRules rules;

    public CheckCards(RiskRules rules) {
      this.rules = rules;
    }

    @Override
    public PCollection<String> expand(PCollection<KV<String, Transaction>> txns) {
      return txns.apply(
              "KeyByAccountAndCard",
              MapElements.into(new TypeDescriptor<KV<KV<String, String>, Transaction>>() {})
                  .via(kv -> KV.of(KV.of(kv.getKey(), kv.getValue().card()), kv.getValue())))
          .setCoder(
              KvCoder.of(
                  KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), Transaction.Coder.of()))
          .apply("GroupPerCard", GroupByKey.create())
          .apply("CardRules", ParDo.of(new CardRulesFn(rules.maxTxnsPerCard(), rules.maxPlaces())));
    }
  }

  /**
   * Transactions joined with their window's latest profile (or none) in; {@code amount-above-usual}
   * and {@code no-profile} alerts out, per account and window.
   */
  public static final class CheckAmounts
      extends PTransform<
          PCollection<KV<String, Joined<Transaction, AccountProfile>>>, PCollection<String>> {
    private static final long serialVersionUID = 1L;
    private final double amountFactor;

    public CheckAmounts(double amountFactor) {
      this.amountFactor = amountFactor;
    }

    @Override
    public PCollection<String> expand(
        PCollection<KV<String, Joined<Transaction, AccountProfile>>> rows) {
      return rows.apply("KeepAboveUsualOrWithoutProfile", Filter.by(new NeedsAlert(amountFactor)))
          .apply("GroupPerAccount", GroupByKey.create())
          .apply("AccountRules", ParDo.of(new AccountRulesFn(amountFactor)));
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

  /** The latest of two profiles of one account ({@link AccountProfile#LATEST}). */
  static final class LatestProfileFn extends Combine.BinaryCombineFn<AccountProfile> {
    private static final long serialVersionUID = 1L;

    @Override
    public AccountProfile apply(AccountProfile left, AccountProfile right) {
      return AccountProfile.LATEST.compare(left, right) >= 0 ? left : right;
    }
  }

  /** Keeps the rows an account alert is made of: no profile, or an amount above the threshold. */
  static final class NeedsAlert
      implements SerializableFunction<KV<String, Joined<Transaction, AccountProfile>>, Boolean> {
    private static final long serialVersionUID = 1L;
    private final double amountFactor;

    NeedsAlert(double amountFactor) {
      this.amountFactor = amountFactor;
    }

    @Override
    public Boolean apply(KV<String, Joined<Transaction, AccountProfile>> row) {
      Joined<Transaction, AccountProfile> joined = row.getValue();
      if (!joined.right().isPresent()) {
        return true;
      }
      return joined.left().get().amountCents()
          > amountFactor * joined.right().get().usualAmountCents();
    }
  }

  /** The two card rules over one card's transactions in one window. */
  static final class CardRulesFn
      extends DoFn<KV<KV<String, String>, Iterable<Transaction>>, String> {
    private static final long serialVersionUID = 1L;
    private final int maxTxns;
    private final int maxPlaces;
    private final Counter countAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.TOO_MANY_TRANSACTIONS);
    private final Counter placeAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.TOO_MANY_PLACES);

    CardRulesFn(int maxTxns, int maxPlaces) {
      this.maxTxns = maxTxns;
      this.maxPlaces = maxPlaces;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, String>, Iterable<Transaction>> card,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      List<Transaction> txns = new ArrayList<>();
      TreeSet<String> places = new TreeSet<>();
      for (Transaction t : card.getValue()) {
        txns.add(t);
        places.add(t.place());
      }
      txns.sort(Transaction.BY_ID);
      String account = card.getKey().getKey();
      String cardId = card.getKey().getValue();
      Alerts.Window w = windowOf(window, pane);
      if (txns.size() > maxTxns) {
        countAlerts.inc();
        out.output(Alerts.tooManyTransactions(account, cardId, txns, maxTxns, w));
      }
      if (places.size() > maxPlaces) {
        placeAlerts.inc();
        out.output(
            Alerts.tooManyPlaces(account, cardId, new ArrayList<>(places), txns, maxPlaces, w));
      }
    }
  }

  /**
   * One account's flagged rows in one window: all without a profile (no-profile alert) or all with
   * the window's one latest profile and above the threshold (amount alert).
   */
  static final class AccountRulesFn
      extends DoFn<KV<String, Iterable<Joined<Transaction, AccountProfile>>>, String> {
    private static final long serialVersionUID = 1L;
    private final double amountFactor;
    private final Counter amountAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.AMOUNT_ABOVE_USUAL);
    private final Counter noProfileAlerts =
        Metrics.counter("sluice.risk", "alerts." + Alerts.NO_PROFILE);
    private final Counter noProfileTxns = Metrics.counter("sluice.risk", "no_profile_txns");

    AccountRulesFn(double amountFactor) {
      this.amountFactor = amountFactor;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Joined<Transaction, AccountProfile>>> account,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      List<Transaction> txns = new ArrayList<>();
      AccountProfile profile = null;
      for (Joined<Transaction, AccountProfile> row : account.getValue()) {
        txns.add(row.left().get());
        if (row.right().isPresent()) {
          profile = row.right().get();
        }
      }
      txns.sort(Transaction.BY_ID);
      Alerts.Window w = windowOf(window, pane);
      if (profile == null) {
        noProfileAlerts.inc();
        noProfileTxns.inc(txns.size());
        out.output(Alerts.noProfile(account.getKey(), txns, w));
      } else {
        amountAlerts.inc();
        out.output(Alerts.amountAboveUsual(profile, txns, amountFactor, w));
      }
    }
  }

  private static Alerts.Window windowOf(IntervalWindow window, PaneInfo pane) {
    return new Alerts.Window(window.start().getMillis(), window.end().getMillis(), pane);
  }
}
