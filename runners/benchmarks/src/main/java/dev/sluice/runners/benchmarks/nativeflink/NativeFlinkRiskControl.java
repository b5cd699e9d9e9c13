package dev.sluice.runners.benchmarks.nativeflink;

import dev.sluice.pipelines.risk.AccountProfile;
import dev.sluice.pipelines.risk.Alerts;
import dev.sluice.pipelines.risk.RiskRecord;
import dev.sluice.pipelines.risk.RiskRules;
import dev.sluice.pipelines.risk.Transaction;
import dev.sluice.transforms.quality.InvalidRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The fraud detection written with Flink's own DataStream API, as a Flink user would write it
 * instead of the Beam pipeline {@code risk-control} (profiles in the same input, no {@code
 * --accounts}): parse transactions and profiles (bad lines to a side output) into one POJO, key by
 * account, sliding event-time windows, and per account and window a co-group of the two record
 * types: an incremental aggregate keeps the latest profile ({@link AccountProfile#LATEST}) and the
 * transactions, and the window function runs the three rules ({@link RiskRules}) and writes {@link
 * Alerts}' lines.
 *
 * <p>This is what Flink's {@code coGroup(...).where(account).equalTo(account).window(...)} does
 * inside (both inputs tagged, unioned, keyed and windowed together), written out because a {@code
 * CoGroupFunction} does not see its window and every alert names it, and because the profile side
 * then reduces to one profile per window as it arrives instead of being buffered. The card rules
 * run in the same window, per card of the account. The Beam job has the same shape (one {@code
 * CoGroupByKey} per account and window, the three rules in one pass), but it buffers every profile
 * of the window and shuffles Beam-encoded windowed values.
 */
public final class NativeFlinkRiskControl implements NativeFlinkJob {
  private final RiskRules rules;

  public NativeFlinkRiskControl(RiskRules rules) {
    this.rules = rules;
  }

  @Override
  public String name() {
    return "risk-control";
  }

  @Override
  public void build(StreamExecutionEnvironment env, NativeFlinkIo io) {
    SingleOutputStreamOperator<AccountEvent> records =
        io.readLines(env).process(new ParseFn()).name("ParseRiskRecords");
    io.writeLines(records.getSideOutput(DeadLetters.TAG), NativeFlinkIo.Output.DEAD_LETTERS);
    DataStream<String> alerts =
        records
            .assignTimestampsAndWatermarks(
                io.eventTime((AccountEvent event, long previous) -> event.timestampMillis))
            .keyBy(event -> event.account)
            .window(
                SlidingEventTimeWindows.of(
                    Duration.ofMillis(rules.size().getMillis()),
                    Duration.ofMillis(rules.period().getMillis())))
            .aggregate(new CoGroupTransactionsAndLatestProfile(), new ApplyRules(rules))
            .name("DetectFraudPerAccount");
    io.writeLines(alerts, NativeFlinkIo.Output.RESULTS);
  }

  /**
   * A transaction or an account profile, as a flat Flink POJO (so the shuffle needs no Kryo):
   * {@link #transaction} tells which; the other type's fields are null or 0.
   */
  public static final class AccountEvent {
    public boolean transaction;
    public long timestampMillis;
    public String account;
    // A transaction's fields.
    public String txnId;
    public String card;
    public long amountCents;
    public String currency;
    public String country;
    public String city;
    // A profile's fields.
    public long usualAmountCents;
    public String homeCountry;

    public AccountEvent() {}

    static AccountEvent of(RiskRecord record) {
      AccountEvent event = new AccountEvent();
      event.transaction = record.isTransaction();
      event.timestampMillis = record.timestampMillis();
      event.account = record.account();
      if (record.isTransaction()) {
        Transaction t = record.transaction();
        event.txnId = t.txnId();
        event.card = t.card();
        event.amountCents = t.amountCents();
        event.currency = t.currency();
        event.country = t.country();
        event.city = t.city();
      } else {
        AccountProfile p = record.profile();
        event.usualAmountCents = p.usualAmountCents();
        event.homeCountry = p.homeCountry();
      }
      return event;
    }

    Transaction toTransaction() {
      return new Transaction(
          timestampMillis, txnId, card, account, amountCents, currency, country, city);
    }

    AccountProfile toProfile() {
      return new AccountProfile(timestampMillis, account, usualAmountCents, homeCountry);
    }
  }

  /** A line → a record, or its raw text and reason to the dead-letter side output. */
  static final class ParseFn extends ProcessFunction<String, AccountEvent> {
    @Override
    public void processElement(String line, Context context, Collector<AccountEvent> out) {
      try {
        out.collect(AccountEvent.of(RiskRecord.parse(line, RiskRecord.Accepts.BOTH)));
      } catch (InvalidRecordException e) {
        context.output(DeadLetters.TAG, DeadLetters.line(line, e));
      }
    }
  }

  /**
   * One account's window: its latest profile (null if none yet) and its transactions. Window state
   * stays on the heap (batch mode, or a stream's default state backend without checkpoints), so the
   * Kryo type Flink infers for the Sluice classes is never used.
   */
  public static final class AccountWindow {
    public AccountProfile latestProfile;
    public List<Transaction> transactions = new ArrayList<>();

    public AccountWindow() {}
  }

  /** The co-group, incrementally: the latest profile as profiles arrive, the transactions kept. */
  static final class CoGroupTransactionsAndLatestProfile
      implements AggregateFunction<AccountEvent, AccountWindow, AccountWindow> {
    @Override
    public AccountWindow createAccumulator() {
      return new AccountWindow();
    }

    @Override
    public AccountWindow add(AccountEvent event, AccountWindow window) {
      if (event.transaction) {
        window.transactions.add(event.toTransaction());
      } else {
        window.latestProfile = later(window.latestProfile, event.toProfile());
      }
      return window;
    }

    @Override
    public AccountWindow getResult(AccountWindow window) {
      return window;
    }

    @Override
    public AccountWindow merge(AccountWindow a, AccountWindow b) {
      a.transactions.addAll(b.transactions);
      a.latestProfile = later(a.latestProfile, b.latestProfile);
      return a;
    }

    private static AccountProfile later(AccountProfile a, AccountProfile b) {
      if (a == null || b == null) {
        return a == null ? b : a;
      }
      return AccountProfile.LATEST.compare(a, b) >= 0 ? a : b;
    }
  }

  /**
   * An account's window → per card, too-many-transactions and too-many-places; for the account,
   * no-profile (no profile in the window) or amount-above-usual (transactions above the factor
   * times the latest profile's usual amount). A window with profiles but no transactions says
   * nothing, as in the Beam job's left outer join.
   */
  static final class ApplyRules
      extends ProcessWindowFunction<AccountWindow, String, String, TimeWindow> {
    private final RiskRules rules;

    ApplyRules(RiskRules rules) {
      this.rules = rules;
    }

    @Override
    public void process(
        String account, Context context, Iterable<AccountWindow> windows, Collector<String> out) {
      AccountWindow window = windows.iterator().next();
      if (window.transactions.isEmpty()) {
        return;
      }
      Alerts.Window w =
          new Alerts.Window(
              context.window().getStart(),
              context.window().getEnd(),
              PaneInfo.ON_TIME_AND_ONLY_FIRING);
      List<Transaction> txns = new ArrayList<>(window.transactions);
      txns.sort(Transaction.BY_ID);

      TreeMap<String, List<Transaction>> byCard = new TreeMap<>();
      for (Transaction t : txns) {
        byCard.computeIfAbsent(t.card(), c -> new ArrayList<>()).add(t);
      }
      for (Map.Entry<String, List<Transaction>> card : byCard.entrySet()) {
        List<Transaction> cardTxns = card.getValue();
        if (cardTxns.size() > rules.maxTxnsPerCard()) {
          out.collect(
              Alerts.tooManyTransactions(
                  account, card.getKey(), cardTxns, rules.maxTxnsPerCard(), w));
        }
        TreeSet<String> places = new TreeSet<>();
        for (Transaction t : cardTxns) {
          places.add(t.place());
        }
        if (places.size() > rules.maxPlaces()) {
          out.collect(
              Alerts.tooManyPlaces(
                  account, card.getKey(), new ArrayList<>(places), cardTxns, rules.maxPlaces(), w));
        }
      }

      AccountProfile profile = window.latestProfile;
      if (profile == null) {
        out.collect(Alerts.noProfile(account, txns, w));
        return;
      }
      List<Transaction> above = new ArrayList<>();
      for (Transaction t : txns) {
        if (t.amountCents() > rules.amountFactor() * profile.usualAmountCents()) {
          above.add(t);
        }
      }
      if (!above.isEmpty()) {
        out.collect(Alerts.amountAboveUsual(profile, above, rules.amountFactor(), w));
      }
    }
  }
}
